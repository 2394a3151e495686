// A local certificate authority, created once per user in the config folder, and the dev server's leaf certificate
// it issues. Trusting one CA (`syncline trust`) makes every dev server of that user trusted, whatever its data
// folder, and a renewed leaf needs no new trust step.
//
// Certificates are made with `selfsigned`, already a dependency: since v5 it is a thin layer over @peculiar/x509
// (WebCrypto, no native code) and signs with a given CA (`ca: { key, cert }`). node:crypto parses and verifies
// X.509 but cannot issue certificates.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { ensurePrivateDir, readSecretFile, SECRET_FILE_MODE, writeSecretFile } from '../app/secretFiles.js';
import { userConfigDir } from './configDir.js';

export interface LocalCa {
  cert: string;
  key: string;
  /** The public CA certificate: what `syncline trust` installs and `NODE_EXTRA_CA_CERTS` names. */
  certPath: string;
}

export interface Leaf {
  cert: string;
  key: string;
  /** One owner-only file holding the leaf's certificate and key. */
  path: string;
}

const DAY = 24 * 60 * 60 * 1000;
const RENEW_BEFORE_MS = 7 * DAY;
/** The names a browser or Node client uses for a local server. */
export const LEAF_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

export const caPaths = (env: NodeJS.ProcessEnv = process.env) => {
  const dir = join(userConfigDir(env), 'ca');
  return { dir, certPath: join(dir, 'rootCA.pem'), keyPath: join(dir, 'rootCA-key.pem') };
};

function who(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return hostname();
  }
}

async function generateCa(): Promise<{ cert: string; key: string }> {
  const pems = await selfsigned.generate(
    [
      { name: 'commonName', value: `Syncline development CA (${who()})` },
      { name: 'organizationName', value: 'Syncline development CA' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 10 * 365 * DAY),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    },
  );
  return { cert: pems.cert, key: pems.private };
}

/**
 * The user's CA, created on first use. Created aside and renamed into place, so two servers starting at once
 * agree on one CA (the loser of the rename reads the winner's); the key is owner-only in an owner-only folder.
 */
export async function localCa(env: NodeJS.ProcessEnv = process.env): Promise<LocalCa> {
  const { dir, certPath, keyPath } = caPaths(env);
  const existing = readCa(certPath, keyPath);
  if (existing) return existing;
  const parent = userConfigDir(env);
  ensurePrivateDir(parent);
  const fresh = await generateCa();
  const aside = mkdtempSync(join(parent, 'ca-'));
  try {
    writeFileSync(join(aside, 'rootCA-key.pem'), fresh.key, { mode: SECRET_FILE_MODE, flag: 'wx' });
    writeFileSync(join(aside, 'rootCA.pem'), fresh.cert, { mode: 0o644, flag: 'wx' });
    ensurePrivateDir(aside);
    renameSync(aside, dir);
  } catch (error) {
    rmSync(aside, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
  }
  const ca = readCa(certPath, keyPath);
  if (!ca) throw new Error(`the local CA in ${dir} is incomplete; delete that folder to create a new one`);
  return ca;
}

function readCa(certPath: string, keyPath: string): LocalCa | undefined {
  const key = readSecretFile(keyPath);
  if (key === undefined) return undefined;
  return { cert: readFileSync(certPath, 'utf8'), key, certPath };
}

/** Whether `leaf` was issued by `ca`, covers the local names and stays valid for a while. */
function usable(leaf: string, ca: string): boolean {
  try {
    const cert = new X509Certificate(leaf);
    const issuer = new X509Certificate(ca);
    if (new Date(cert.validTo).getTime() - Date.now() < RENEW_BEFORE_MS) return false;
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) return false;
    return cert.checkHost('localhost') !== undefined && cert.checkIP('127.0.0.1') !== undefined;
  } catch {
    return false;
  }
}

const block = (pem: string, label: RegExp) => pem.match(label)?.[0];
const CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/;
const KEY = /-----BEGIN (?:EC |RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:EC |RSA )?PRIVATE KEY-----\n?/;

async function issueLeaf(ca: LocalCa): Promise<{ cert: string; key: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // Under 398 days: what browsers accept even for a locally trusted root on some platforms (macOS, iOS).
    notAfterDate: new Date(Date.now() + 390 * DAY),
    ca: { cert: ca.cert, key: ca.key },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * The dev server's leaf, issued by the user's CA: reused while valid, re-issued when missing, about to expire, or
 * signed by another CA. Certificate and key share one file, written atomically, so concurrent servers never pair
 * one's certificate with another's key.
 */
export async function devLeaf(ca: LocalCa, env: NodeJS.ProcessEnv = process.env): Promise<Leaf> {
  const path = join(userConfigDir(env), 'dev-leaf.pem');
  const text = readSecretFile(path);
  if (text !== undefined) {
    const cert = block(text, CERT);
    const key = block(text, KEY);
    if (cert && key && usable(cert, ca.cert)) return { cert, key, path };
  }
  const fresh = await issueLeaf(ca);
  writeSecretFile(path, `${fresh.key.trimEnd()}\n${fresh.cert.trimEnd()}\n`);
  return { ...fresh, path };
}

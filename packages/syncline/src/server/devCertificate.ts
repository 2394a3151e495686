// A local development certificate, because Amplify JS v6 always connects to `wss://` — even for an `http://`
// endpoint. Generated once and kept in the data folder so the user trusts it once (NODE_EXTRA_CA_CERTS, the OS
// trust store); for ':memory:' a fresh one lives only as long as the server.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { readSecretFile, writeSecretFile } from '../app/secretFiles.js';

export interface TlsMaterial {
  cert: string;
  key: string;
}

export interface DevCertificate extends TlsMaterial {
  /** The PEM file to trust, or null when the certificate lives only in memory. */
  certPath: string | null;
}

const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

async function generate(): Promise<TlsMaterial> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'Syncline local development' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
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

function stillValid(cert: string): boolean {
  try {
    return new Date(new X509Certificate(cert).validTo).getTime() - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

/** The dev certificate for a data folder: reused while valid, regenerated when missing or about to expire. */
export async function devCertificate(data: string): Promise<DevCertificate> {
  if (data === ':memory:') return { ...(await generate()), certPath: null };
  const dir = join(data, 'tls');
  const certPath = join(dir, 'dev-cert.pem');
  const keyPath = join(dir, 'dev-key.pem');
  if (existsSync(certPath)) {
    const cert = readFileSync(certPath, 'utf8');
    const key = readSecretFile(keyPath);
    if (key !== undefined && stillValid(cert)) return { cert, key, certPath };
  }
  const fresh = await generate();
  // The key first, into an owner-only folder; the certificate is public (it is what clients trust).
  writeSecretFile(keyPath, fresh.key);
  writeFileSync(certPath, fresh.cert);
  return { ...fresh, certPath };
}

// A local development certificate, because Amplify JS v6 always connects to `wss://` — even for an `http://`
// endpoint. Generated once and kept in the data folder so the user trusts it once (NODE_EXTRA_CA_CERTS, the OS
// trust store); for ':memory:' a fresh one lives only as long as the server.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

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
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, 'utf8');
    if (stillValid(cert)) return { cert, key: readFileSync(keyPath, 'utf8'), certPath };
  }
  const fresh = await generate();
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, fresh.key, { mode: 0o600 });
  writeFileSync(certPath, fresh.cert);
  return { ...fresh, certPath };
}

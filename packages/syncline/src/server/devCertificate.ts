// A local development certificate, because Amplify JS v6 always connects to `wss://` — even for an `http://`
// endpoint. The leaf is issued by the user's local CA (tls/localCa.ts), kept in the user's config folder whatever
// the data folder (':memory:' too), so trusting the CA once (`syncline trust`, NODE_EXTRA_CA_CERTS) is enough.
import { devLeaf, localCa } from '../tls/localCa.js';

export interface TlsMaterial {
  cert: string;
  key: string;
}

export interface DevCertificate extends TlsMaterial {
  /** The CA certificate clients trust (PEM). */
  ca: string;
  /** The file of `ca`: what `syncline trust` installs and NODE_EXTRA_CA_CERTS names. */
  caPath: string;
  /** The leaf's file (certificate and key, owner-only). */
  leafPath: string;
}

/** The dev server's certificate, issued by the user's local CA (both created on first use). */
export async function devCertificate(env: NodeJS.ProcessEnv = process.env): Promise<DevCertificate> {
  const ca = await localCa(env);
  const leaf = await devLeaf(ca, env);
  // The chain is served with the CA after the leaf: harmless to clients that trust the CA, and it lets Chromium's
  // --ignore-certificate-errors-spki-list name the CA's key (a pin that survives the leaf's renewal).
  return {
    cert: `${leaf.cert.trimEnd()}\n${ca.cert.trimEnd()}\n`,
    key: leaf.key,
    ca: ca.cert,
    caPath: ca.certPath,
    leafPath: leaf.path,
  };
}

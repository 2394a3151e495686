// `syncline trust` / `untrust` against a temporary NSS database, Firefox profile and system-store folder (real
// certutil), and the dev server's leaf verified by Node's TLS against the local CA alone.
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import selfsigned from 'selfsigned';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/createServer.js';
import { devCertificate } from '../../src/server/devCertificate.js';
import { NSS_NICKNAME } from '../../src/tls/trustStores.js';
import { fixtureApp } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/syncline.js', import.meta.url));

let root: string;
let env: NodeJS.ProcessEnv;
const config = () => join(root, 'config');
const home = () => join(root, 'home');
const system = () => join(root, 'system');
const nssdb = () => join(home(), '.pki', 'nssdb');
const caPath = () => join(config(), 'ca', 'rootCA.pem');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'syncline-trust-'));
  mkdirSync(home());
  mkdirSync(system());
  env = { ...process.env, HOME: home(), SYNCLINE_CONFIG_DIR: config(), SYNCLINE_SYSTEM_CA_DIR: system() };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function syncline(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The PEM certutil holds under the CA's nickname, or undefined. */
function listed(dir: string): string | undefined {
  const r = spawnSync('certutil', ['-L', '-d', `sql:${dir}`, '-n', NSS_NICKNAME, '-a'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}
const same = (a: string | undefined, b: string) => a?.replace(/\s+/g, '') === b.replace(/\s+/g, '');

describe('syncline trust / untrust', () => {
  it('creates the NSS database when absent, installs the CA there and in the system store, idempotently', {
    timeout: 60_000,
  }, () => {
    expect(existsSync(nssdb())).toBe(false);
    const first = syncline(['trust']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const ca = readFileSync(caPath(), 'utf8');
    expect(new X509Certificate(ca).ca).toBe(true);
    expect(first.out).toContain(`sql:${nssdb()}: created the database; added the CA`);
    expect(first.out).toContain(`${join(system(), 'syncline-dev-ca.crt')}: copied the CA`);
    expect(first.out).toContain(`NODE_EXTRA_CA_CERTS=${caPath()}`);
    expect(same(listed(nssdb()), ca)).toBe(true);
    expect(readFileSync(join(system(), 'syncline-dev-ca.crt'), 'utf8')).toBe(ca);
    const list = spawnSync('certutil', ['-L', '-d', `sql:${nssdb()}`], { encoding: 'utf8' }).stdout;
    expect(list).toMatch(new RegExp(`${NSS_NICKNAME}\\s+C,,`));

    const again = syncline(['trust']);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`sql:${nssdb()}: already trusted`);
    expect(again.out).toContain('syncline-dev-ca.crt: already trusted');
    expect(readFileSync(caPath(), 'utf8')).toBe(ca);

    const removed = syncline(['untrust']);
    expect(removed.code).toBe(0);
    expect(removed.out).toContain(`sql:${nssdb()}: removed the CA`);
    expect(listed(nssdb())).toBeUndefined();
    expect(existsSync(join(system(), 'syncline-dev-ca.crt'))).toBe(false);

    const twice = syncline(['untrust']);
    expect(twice.code).toBe(0);
    expect(twice.out).toContain(`sql:${nssdb()}: not present`);
    expect(twice.out).toContain('syncline-dev-ca.crt: not present');
  });

  it("adds the CA to each Firefox profile's database, and replaces an older Syncline CA", { timeout: 60_000 }, () => {
    const profile = join(home(), '.mozilla', 'firefox', 'abcd1234.default-release');
    mkdirSync(profile, { recursive: true });
    spawnSync('certutil', ['-N', '--empty-password', '-d', `sql:${profile}`]);
    expect(syncline(['trust']).code).toBe(0);
    const old = readFileSync(caPath(), 'utf8');
    expect(same(listed(profile), old)).toBe(true);

    // A new CA (the config folder deleted): trust replaces the old one under the same nickname.
    rmSync(config(), { recursive: true });
    const next = syncline(['trust']);
    expect(next.code).toBe(0);
    expect(next.out).toContain(`sql:${profile}: replaced an older Syncline CA`);
    const ca = readFileSync(caPath(), 'utf8');
    expect(ca).not.toBe(old);
    expect(same(listed(profile), ca)).toBe(true);
  });

  it('exits non-zero naming the package when certutil is missing, and still does the other steps', () => {
    const r = syncline(['trust'], { PATH: join(root, 'empty-path') });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('certutil not found');
    expect(r.err).toContain('apt-get install libnss3-tools');
    expect(existsSync(join(system(), 'syncline-dev-ca.crt'))).toBe(true);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'exits non-zero with the sudo commands when the system store is not writable',
    () => {
      chmodSync(system(), 0o555);
      const r = syncline(['trust']);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain(`permission denied; run: sudo cp ${caPath()}`);
    },
  );

  it('the dev banner says whether trust is in place and prints the NODE_EXTRA_CA_CERTS line', async () => {
    // Reads stdout until the banner's Node line (the banner's last) has printed, then stops the server: a fixed
    // timeout lost the banner whenever a loaded machine took longer to start.
    const banner = () =>
      new Promise<string>((ok, fail) => {
        const child = spawn(process.execPath, [BIN, 'dev', fixtureApp('basic'), '--port', '0', '--data', ':memory:'], {
          env,
        });
        let out = '';
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          fail(new Error(`no banner within 50 s: ${out}`));
        }, 50_000);
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (/NODE_EXTRA_CA_CERTS=.*\n/.test(out)) child.kill('SIGINT');
        });
        child.on('exit', () => {
          clearTimeout(timer);
          ok(out);
        });
      });
    const before = await banner();
    expect(before).toContain('not trusted yet: run `syncline trust`');
    expect(before).toContain(`NODE_EXTRA_CA_CERTS=${caPath()}`);
    syncline(['trust']);
    expect(await banner()).toContain('trusted in system store, NSS (~/.pki/nssdb)');
  }, 120_000);
});

describe('the dev server with the local CA', () => {
  it('serves a leaf issued by the CA that Node verifies for localhost, 127.0.0.1 (and not against another CA)', async () => {
    const before = process.env.SYNCLINE_CONFIG_DIR;
    process.env.SYNCLINE_CONFIG_DIR = config();
    const server = await createServer({ dir: fixtureApp('basic'), port: 0, data: ':memory:', log: 'silent' });
    try {
      const ca = server.devCertificate!.cert;
      expect(server.devCertificate!.path).toBe(caPath());
      const port = Number(new URL(server.endpoints.graphql).port);
      const handshake = (host: string, trusted: string) =>
        new Promise<X509Certificate>((ok, fail) => {
          const socket = connect({ host, port, ca: trusted, servername: host.includes('.') ? undefined : host }, () => {
            const peer = socket.getPeerX509Certificate()!;
            socket.end();
            ok(peer);
          });
          socket.on('error', fail);
        });
      for (const host of ['localhost', '127.0.0.1']) {
        const leaf = await handshake(host, ca);
        expect(leaf.ca).toBe(false);
        expect(leaf.checkIssued(new X509Certificate(ca))).toBe(true);
      }
      const other = await selfsigned.generate([{ name: 'commonName', value: 'someone else' }], { keyType: 'ec' });
      await expect(handshake('localhost', other.cert)).rejects.toThrow(/unable to (get|verify)|self.signed/i);
    } finally {
      await server.close();
      if (before === undefined) delete process.env.SYNCLINE_CONFIG_DIR;
      else process.env.SYNCLINE_CONFIG_DIR = before;
    }
  });
});

describe('the leaf on disk', () => {
  it('re-issues a leaf that another CA signed', async () => {
    const a = await devCertificate({ SYNCLINE_CONFIG_DIR: join(root, 'a') });
    const b = await devCertificate({ SYNCLINE_CONFIG_DIR: join(root, 'b') });
    copyFileSync(a.leafPath, b.leafPath);
    const again = await devCertificate({ SYNCLINE_CONFIG_DIR: join(root, 'b') });
    expect(again.ca).toBe(b.ca);
    expect(new X509Certificate(again.cert).checkIssued(new X509Certificate(b.ca))).toBe(true);
    expect(again.cert).not.toContain(a.cert.trim());
  });

  it('replaces a damaged leaf file instead of failing to start', async () => {
    const env = { SYNCLINE_CONFIG_DIR: config() };
    const { leafPath, ca } = await devCertificate(env);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (junk) => {
        writeFileSync(leafPath, junk);
        const fresh = await devCertificate(env);
        expect(new X509Certificate(fresh.cert).checkIssued(new X509Certificate(ca))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});

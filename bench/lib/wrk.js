// wrk (Debian package) as the load generator when present: a C client keeps the server, not the client, the
// bottleneck on a 2-core machine. Falls back to the Node generator otherwise.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpLoad } from './stats.js';

const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return error.status === 1; // wrk --version exits 1 after printing its version
  }
})();

export const loadGenerator = hasWrk ? 'wrk' : 'node';

export function toMs(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) return Number.NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

export function load({ url, method, headers, body, connections, seconds }) {
  if (!hasWrk) return httpLoad({ url, method, headers, body, connections, seconds });
  const dir = mkdtempSync(join(tmpdir(), 'wrk-'));
  const script = join(dir, 'req.lua');
  writeFileSync(
    script,
    [
      `wrk.method = ${JSON.stringify(method)}`,
      `wrk.body = ${JSON.stringify(body ?? '')}`,
      ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
      'local failed = 0',
      'response = function(status) if status ~= 200 then failed = failed + 1 end end',
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
      const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      if (!Number.isFinite(rps)) reject(new Error(`wrk printed no result:\n${out}`));
      else resolve({ rps, p50, p99, failed: non2xx });
    });
  });
}

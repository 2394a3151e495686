// wrk sending DynamoDB JSON requests whose bodies a Lua expression builds per request (`n` counts requests), so
// keys vary without the client doing more than string formatting. With `check`, every 200 response must contain
// that text (a GetItem its Item, a Query its count); any failed check, non-2xx answer or socket error fails the run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toMs } from './wrk.js';

export function dynamodbWrk({ endpoint, target, body, check = '', connections, seconds }) {
  const dir = mkdtempSync(join(tmpdir(), 'wrk-dynamodb-'));
  const script = join(dir, 'req.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      'wrk.headers["content-type"] = "application/x-amz-json-1.0"',
      `wrk.headers["x-amz-target"] = "DynamoDB_20120810.${target}"`,
      // No server under test checks signatures; dynalite wants the header to be there.
      'wrk.headers["authorization"] = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"',
      'wrk.headers["x-amz-date"] = "20260101T000000Z"',
      'local threads = {}',
      'function setup(thread) table.insert(threads, thread) end',
      'n = 0',
      'bad = 0',
      'function init() math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end',
      'request = function()',
      '  n = n + 1',
      `  return wrk.format(nil, "/", nil, ${body})`,
      'end',
      `local check = ${JSON.stringify(check)}`,
      'response = function(status, headers, body)',
      '  if status ~= 200 or (check ~= "" and not string.find(body, check, 1, true)) then bad = bad + 1 end',
      'end',
      'function done()',
      '  local b = 0',
      '  for _, t in ipairs(threads) do b = b + t:get("bad") end',
      '  io.write("BAD " .. b .. "\\n")',
      'end',
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    // wrk takes whole seconds only.
    const duration = `-d${Math.max(1, Math.round(seconds))}s`;
    const child = spawn('wrk', ['-t1', `-c${connections}`, duration, '--latency', '-s', script, `${endpoint}/`]);
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds * 2 + 30) * 1000);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const bad = Number(/BAD (\d+)/.exec(out)?.[1] ?? Number.NaN);
      const socketErrors = /Socket errors:.*/.exec(out)?.[0];
      if (!Number.isFinite(rps)) reject(new Error(`wrk printed no result: ${out.trim().slice(0, 200)}`));
      else if (bad || socketErrors) reject(new Error(`${bad} failed checks; ${socketErrors ?? ''}`));
      else
        resolve({
          rps,
          p50: toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
          p99: toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
        });
    });
  });
}

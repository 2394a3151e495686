// PutItem, GetItem and Query against a DynamoDB endpoint holding `size` items, by wrk (a C load generator in its
// own process), with keys drawn per request by a Lua script and every response checked: a GetItem must return
// an Item, a Query exactly 100 items. Any failed check fails the measurement.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PER_PARTITION, TABLE } from './tableItems.js';

const TARGETS = { put: 'PutItem', get: 'GetItem', query: 'Query' };
const CHECKS = { put: '', get: '"Item"', query: `"Count":${PER_PARTITION}` };

function bodies(size, putBase) {
  const partitions = Math.floor(size / PER_PARTITION);
  return {
    put: `string.format('{"TableName":"${TABLE}","Item":{"pk":{"S":"u%d"},"sk":{"N":"%d"},"body":{"S":"${'x'.repeat(72)}"},"n":{"N":"%d"}}}', n % 256, ${putBase} + n, n % 1000)`,
    get: `(function() local i = math.random(0, ${size - 1}) return string.format('{"TableName":"${TABLE}","Key":{"pk":{"S":"p%d"},"sk":{"N":"%d"}}}', math.floor(i / ${PER_PARTITION}), i % ${PER_PARTITION}) end)()`,
    query: `string.format('{"TableName":"${TABLE}","KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"p%d"}}}', math.random(0, ${partitions - 1}))`,
  };
}

const toMs = (text) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : Number.NaN;
};

export function tableWrk({ endpoint, op, size, connections, seconds, putBase = 2_000_000_000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'wrk-report-'));
  const script = join(dir, 'req.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      'wrk.headers["content-type"] = "application/x-amz-json-1.0"',
      `wrk.headers["x-amz-target"] = "DynamoDB_20120810.${TARGETS[op]}"`,
      'wrk.headers["authorization"] = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"',
      'wrk.headers["x-amz-date"] = "20260101T000000Z"',
      'local threads = {}',
      'function setup(thread) table.insert(threads, thread) end',
      'n = 0',
      'bad = 0',
      'function init() math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end',
      'request = function()',
      '  n = n + 1',
      `  return wrk.format(nil, "/", nil, ${bodies(size, putBase)[op]})`,
      'end',
      `local check = ${JSON.stringify(CHECKS[op])}`,
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
    const child = spawn('wrk', [
      '-t1',
      `-c${connections}`,
      `-d${Math.max(1, Math.round(seconds))}s`,
      '--latency',
      '-s',
      script,
      `${endpoint}/`,
    ]);
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
      else resolve({ rps, p50: toMs(/\s50%\s+(\S+)/.exec(out)?.[1]), p99: toMs(/\s99%\s+(\S+)/.exec(out)?.[1]) });
    });
  });
}

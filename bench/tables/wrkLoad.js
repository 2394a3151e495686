// The servers' own ceiling, without the SDK: wrk (a C load generator) sends the same DynamoDB JSON requests
// the SDK would, with keys varied per request by a Lua script. If a server does much more here than through
// the SDK, the SDK process, not the server, was the bottleneck.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUT_PARTITIONS, QUERY_ITEMS, QUERY_PARTITIONS, TABLE } from './items.js';

const TARGETS = { put: 'PutItem', get: 'GetItem', query: 'Query' };

// Lua expressions producing one request body; `n` counts requests.
const BODIES = {
  put: `string.format('{"TableName":"${TABLE}","Item":{"pk":{"S":"u%d"},"sk":{"N":"%d"},"body":{"S":"${'x'.repeat(72)}"},"n":{"N":"%d"}}}', n % ${PUT_PARTITIONS}, 2000000000 + n, n % 1000)`,
  get: `(function() local r = math.random(0, ${QUERY_PARTITIONS * QUERY_ITEMS - 1}) return string.format('{"TableName":"${TABLE}","Key":{"pk":{"S":"q%d"},"sk":{"N":"%d"}}}', r % ${QUERY_PARTITIONS}, math.floor(r / ${QUERY_PARTITIONS})) end)()`,
  query: `string.format('{"TableName":"${TABLE}","KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"q%d"}}}', math.random(0, ${QUERY_PARTITIONS - 1}))`,
};

function toMs(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : Number.NaN;
}

export function wrkLoad({ endpoint, op, connections, seconds }) {
  const dir = mkdtempSync(join(tmpdir(), 'wrk-tables-'));
  const script = join(dir, 'req.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      'wrk.headers["content-type"] = "application/x-amz-json-1.0"',
      `wrk.headers["x-amz-target"] = "DynamoDB_20120810.${TARGETS[op]}"`,
      // Neither server checks signatures; dynalite wants the header to be there.
      'wrk.headers["authorization"] = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"',
      'wrk.headers["x-amz-date"] = "20260101T000000Z"',
      'local n = 0',
      'request = function()',
      '  n = n + 1',
      `  return wrk.format(nil, "/", nil, ${BODIES[op]})`,
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
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const socketErrors = /Socket errors:.*/.exec(out)?.[0];
      if (!Number.isFinite(rps)) reject(new Error(`wrk printed no result: ${out.trim().slice(0, 200)}`));
      else if (non2xx || socketErrors) reject(new Error(`wrk: ${non2xx} non-2xx responses; ${socketErrors ?? ''}`));
      else resolve({ rps, p50: toMs(/\s50%\s+(\S+)/.exec(out)?.[1]), p99: toMs(/\s99%\s+(\S+)/.exec(out)?.[1]) });
    });
  });
}

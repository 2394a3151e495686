// The stream benchmark's load generator and collector, in its own process: writes items at a fixed rate (open
// loop: the k-th write is sent at start + k / rate whether or not earlier ones were answered) and collects the
// function's invocation reports, then answers with send→invoke latencies, write latencies, achieved rates.
import http from 'node:http';

const now = () => performance.timeOrigin + performance.now();
const invoked = new Map();
const collector = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { at, ids } = JSON.parse(Buffer.concat(chunks).toString());
    for (const id of ids) invoked.set(id, at);
    res.end();
  });
});
await new Promise((r) => collector.listen(0, '127.0.0.1', r));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function put(endpoint, id) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      TableName: 'Writes',
      Item: { id: { S: id }, n: { N: '1' }, body: { S: 'x'.repeat(64) } },
    });
    const req = http.request(
      `${endpoint}/`,
      {
        agent,
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.PutItem',
          authorization:
            'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
          'x-amz-date': '20260101T000000Z',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PutItem ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function run({ endpoint, rate, seconds, prefix, graceMs }) {
  const total = Math.round(rate * seconds);
  const sent = new Map();
  const writeLatencies = [];
  const pending = [];
  const start = now();
  let failed = 0;
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `${prefix}-${k}`;
    const t = now();
    sent.set(id, t);
    pending.push(
      put(endpoint, id).then(
        () => writeLatencies.push(now() - t),
        () => failed++,
      ),
    );
  }
  const sentFor = (now() - start) / 1000;
  await Promise.all(pending);
  const deadline = now() + graceMs;
  while (now() < deadline && [...sent.keys()].some((id) => !invoked.has(id)))
    await new Promise((r) => setTimeout(r, 20));
  const latencies = [];
  let missing = 0;
  for (const [id, t] of sent) {
    if (invoked.has(id)) latencies.push(invoked.get(id) - t);
    else missing++;
  }
  return {
    offered: total / sentFor,
    written: writeLatencies.length,
    failed,
    missing,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    writeP50: pct(writeLatencies, 50),
    writeP99: pct(writeLatencies, 99),
  };
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (m) => {
  try {
    if (m.type === 'start') process.send({ id: m.id, sink: `http://127.0.0.1:${collector.address().port}/` });
    else if (m.type === 'run') process.send({ id: m.id, ...(await run(m)) });
    else if (m.type === 'close') process.send({ id: m.id }, () => process.exit(0));
  } catch (error) {
    process.send({ id: m.id, error: String(error?.message ?? error) });
  }
});

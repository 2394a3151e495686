// Self time per function in a V8 .cpuprofile (as written by `node --cpu-prof`, e.g. run.js --profile <dir>).
// Usage: node bench/tables/topFunctions.js <file.cpuprofile> [count]
import { readFileSync } from 'node:fs';

const [file, count = 25] = process.argv.slice(2);
const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(nodes.map((n) => [n.id, n]));
const self = new Map();
let total = 0;
samples.forEach((id, i) => {
  const dt = timeDeltas[i] ?? 0;
  total += dt;
  self.set(id, (self.get(id) ?? 0) + dt);
});
const perFunction = new Map();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`;
  perFunction.set(key, (perFunction.get(key) ?? 0) + us);
}
const rows = [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
for (const [key, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);

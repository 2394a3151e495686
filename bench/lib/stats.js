import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function machine() {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Runs the HTTP load generator in a child process and resolves with its report. */
export function httpLoad(options) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./httpLoad.js', import.meta.url)));
    child.once('message', (m) => {
      child.kill();
      resolve(m);
    });
    child.once('error', reject);
    child.send(options);
  });
}

export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Calls a synchronous `fn` back to back for `seconds`; latencies are sampled up to `maxSamples`. */
export function timeSync(fn, seconds, maxSamples = 400_000) {
  const latencies = [];
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  for (let t = started; t < end; ) {
    fn();
    const now = performance.now();
    done++;
    if (latencies.length < maxSamples) latencies.push(now - t);
    t = now;
  }
  return { done, elapsed: (performance.now() - started) / 1000, latencies };
}

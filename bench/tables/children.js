// Child processes with request/reply over IPC, every reply bounded by a timeout. Every child started here is
// SIGKILLed when this process exits, however it exits.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const live = new Set();
process.on('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

export function child(file, args = [], execArgv = []) {
  const name = [file, ...args].join(' ');
  const proc = fork(fileURLToPath(new URL(file, import.meta.url)), args, { execArgv });
  live.add(proc);
  const pending = new Map();
  let seq = 0;
  let gone;
  const fail = (error) => {
    gone ??= error;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(gone);
    }
    pending.clear();
  };
  const exited = new Promise((resolve) =>
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      fail(new Error(`${name} exited (${signal ?? `code ${code}`})`));
      resolve();
    }),
  );
  proc.on('error', fail);
  proc.on('message', (m) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.error) p.reject(new Error(m.error));
    else p.resolve(m);
  });

  return {
    request(message, timeoutMs) {
      if (gone) return Promise.reject(gone);
      return new Promise((resolve, reject) => {
        const id = ++seq;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer to '${message.type}' within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        proc.send({ ...message, id });
      });
    },
    /** Asks the child to close (so profiles and temp folders are written and removed), then makes sure. */
    async stop({ graceful = true } = {}) {
      if (!gone && graceful) await this.request({ type: 'close' }, 10_000).catch(() => {});
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceful ? 5_000 : 0);
      await exited;
      clearTimeout(timer);
    },
  };
}

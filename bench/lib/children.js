// Child processes with request/reply over IPC, every reply bounded by a timeout. Every child started here is
// SIGKILLed when this process exits, however it exits (the report's process tree never outlives it).
import { fork } from 'node:child_process';

const live = new Set();
process.on('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Forks `file` (an absolute path); `request` sends a message with an id and resolves with the child's reply. */
export function child(file, args = [], { execArgv = [], silent = false } = {}) {
  const name = [file.replace(/^.*\/bench\//, 'bench/'), ...args].join(' ');
  const proc = fork(file, args, { execArgv, stdio: silent ? ['ignore', 'ignore', 'pipe', 'ipc'] : 'inherit' });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-2000);
  });
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
      const tail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300);
      fail(new Error(`${name} exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`));
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
    pid: proc.pid,
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
    /** Asks the child to close (so it can release ports and files and write profiles), then makes sure it is gone. */
    async stop({ graceful = true } = {}) {
      if (!gone && graceful) await this.request({ type: 'close' }, 10_000).catch(() => {});
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceful ? 5_000 : 0);
      await exited;
      clearTimeout(timer);
    },
  };
}

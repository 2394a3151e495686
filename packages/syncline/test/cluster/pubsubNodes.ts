// Helpers for the pub/sub cluster tests: several Syncline nodes of the realtime fixture in this process, a log
// that can be read back, and private brokers (redis-server, nats-server) a test may kill and restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import pino from 'pino';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger writing JSON lines into an array. */
export function capturedLog() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

export interface Node {
  server: SynclineServer;
  lines: LogLine[];
}

export async function startNodes(count: number, pubsub: string): Promise<Node[]> {
  const nodes: Node[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const { logger, lines } = capturedLog();
      const server = await createServer({
        dir: fixtureApp('realtime'),
        port: 0,
        data: ':memory:',
        log: logger,
        pubsub,
      });
      nodes.push({ server, lines });
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.server.close()));
    throw error;
  }
  return nodes;
}

export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A broker process of our own on a fixed port: start, kill -9, start again. Never the machine's shared one. */
export class PrivateBroker {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly command: string,
    private readonly args: string[],
  ) {}

  static redis(port: number) {
    return new PrivateBroker(port, 'redis-server', [
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ]);
  }

  static nats(port: number) {
    return new PrivateBroker(port, '/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port)]);
  }

  async start(): Promise<void> {
    if (await portOpen(this.port)) throw new Error(`port ${this.port} is taken; a stale broker is running`);
    this.child = spawn(this.command, this.args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await portOpen(this.port))) {
      if (this.child.exitCode !== null) throw new Error(`${this.command} exited with ${this.child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`${this.command} did not listen on ${this.port}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

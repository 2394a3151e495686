import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStream } from './client.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const outDir = join(root, 'node_modules', '.cache', 'syncline-streams-test');
const childScript = join(outDir, 'durableChild.mjs');
const work = mkdtempSync(join(tmpdir(), 'syncline-streams-crash-'));
const children: ChildProcess[] = [];

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./durableChild.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: childScript,
    logLevel: 'silent',
  });
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function start(data: string, logFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [childScript, data, logFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', () => reject(new Error(`child exited early: ${err}`)));
  });
}

const clientsFor = (port: number) => {
  const config = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  };
  return { db: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
};

describe('crash durability', () => {
  it('after kill -9 mid-storm: every acknowledged write is in the table and the stream exactly once, and every record reached the function', async () => {
    const data = join(work, 'data');
    const logFile = join(work, 'function.log');
    const first = await start(data, logFile);
    const c1 = clientsFor(first.port);
    const acked: string[] = [];
    const counterAcks = new Map<string, number>();
    let stop = false;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 3 === 2) {
            const key = `counter-${w % 2}`;
            await c1.db.send(
              new UpdateItemCommand({
                TableName: 'Storm',
                Key: { id: { S: key } },
                UpdateExpression: 'ADD v :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              }),
            );
            counterAcks.set(key, (counterAcks.get(key) ?? 0) + 1);
          } else {
            const id = `w${w}-${i}`;
            await c1.db.send(new PutItemCommand({ TableName: 'Storm', Item: { id: { S: id }, w: { N: String(w) } } }));
            acked.push(id);
          }
        } catch {
          return; // the server is gone
        }
      }
    });
    // Kill once the storm is well under way, however slow the machine is: time must not decide the verdict.
    for (const end = Date.now() + 20_000; acked.length < 80 && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await new Promise((r) => first.child.once('exit', r));
    c1.db.destroy();
    c1.streams.destroy();
    expect(acked.length).toBeGreaterThan(50);

    const second = await start(data, logFile);
    const c2 = clientsFor(second.port);
    try {
      const { Streams } = await c2.streams.send(new ListStreamsCommand({ TableName: 'Storm' }));
      const shards = await readStream(c2.streams, Streams![0].StreamArn!);
      const records = shards.flat();

      // Every acknowledged write is in the table...
      for (const id of acked) {
        const got = await c2.db.send(new GetItemCommand({ TableName: 'Storm', Key: { id: { S: id } } }));
        expect(got.Item?.id.S).toBe(id);
      }
      // ...and every item in the table (acknowledged or committed just before the kill) has exactly one record.
      const items = (await c2.db.send(new ScanCommand({ TableName: 'Storm' }))).Items!;
      const inserts = new Map<string, number>();
      for (const r of records) {
        const id = r.dynamodb!.Keys!.id.S!;
        if (!id.startsWith('counter')) inserts.set(id, (inserts.get(id) ?? 0) + 1);
      }
      for (const item of items) {
        const id = item.id.S!;
        if (id.startsWith('counter')) {
          const v = Number(item.v.N);
          expect(v).toBeGreaterThanOrEqual(counterAcks.get(id) ?? 0);
          const versions = records
            .filter((r) => r.dynamodb!.Keys!.id.S === id)
            .map((r) => Number(r.dynamodb!.NewImage!.v.N));
          expect(versions).toEqual(Array.from({ length: v }, (_, i) => i + 1));
        } else {
          expect(inserts.get(id)).toBe(1);
        }
      }
      expect(inserts.size).toBe(items.filter((i) => !i.id.S!.startsWith('counter')).length);

      // Every record reached the function at least once (after the restart the mapping catches up).
      const wanted = new Set(records.map((r) => r.eventID!));
      const deadline = Date.now() + 15_000;
      for (;;) {
        const logged = new Set(readFileSync(logFile, 'utf8').split('\n').filter(Boolean));
        const missing = [...wanted].filter((id) => !logged.has(id));
        if (missing.length === 0) break;
        if (Date.now() > deadline) throw new Error(`${missing.length} records never reached the function`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      c2.db.destroy();
      c2.streams.destroy();
      second.child.kill('SIGKILL');
    }
  }, 60_000);
});

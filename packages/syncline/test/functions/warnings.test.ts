// Process warnings inside functions: the AWS SDK's "a future release needs Node 22" notice, printed at every cold
// start on Node 20, reaches the server log at debug, never as error lines.
import { Writable } from 'node:stream';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';
import { clients } from '../streams/client.js';

const lines: { level: number; msg: string; function?: string }[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l));
    done();
  },
});
let server: SynclineServer | undefined;
afterAll(() => server?.close());

describe('process warnings in functions', () => {
  it.runIf(Number(process.versions.node.split('.')[0]) < 22)(
    "log the AWS SDK's Node-version notice at debug, as one line, and no error",
    async () => {
      server = await createServer({
        dir: fixtureApp('streams-functions'),
        port: 0,
        data: ':memory:',
        log: pino({ level: 'debug' }, sink),
      });
      await clients(server).db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'w1' } } }));
      const end = Date.now() + 10_000;
      const auditNotice = (l: (typeof lines)[number]) =>
        l.msg?.includes('NodeVersionSupportWarning') && l.function === 'audit';
      // Both functions load the SDK (at load, prewarmed); wait for the audit function's, and its invocation.
      while (!(lines.some(auditNotice) && server.functions.stats('audit').invocations > 0) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
      }
      // One line per function instance that loads the SDK (both are started at load), each at debug.
      const notice = lines.filter(auditNotice);
      expect(notice).toHaveLength(1);
      expect(notice[0]).toMatchObject({ level: 20 });
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    },
  );
});

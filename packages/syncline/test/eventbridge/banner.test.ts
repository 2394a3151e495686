// `syncline dev` names the EventBridge endpoint and the app's buses when the app has buses or rules of its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/syncline.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function banner(app: string): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'dev', fixtureApp(app), '--port', '0', '--data', ':memory:'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (d) => {
      out += d;
      // The banner ends with a blank line.
      if (/Syncline is running[\s\S]*\n\n/.test(out)) ok(out);
    });
    child.on('exit', () => fail(new Error(`exited before the banner: ${out}`)));
  });
}

describe('the dev banner', () => {
  it('lists the EventBridge endpoint and buses for an app with buses', async () => {
    const out = await banner('eventbridge');
    expect(out).toMatch(/ {2}Events {4}http:\/\/127\.0\.0\.1:\d+ \(EventBridge PutEvents; buses default, orders\)/);
  });

  it('says nothing of EventBridge for an app without buses or rules', async () => {
    expect(await banner('basic')).not.toContain('Events');
  });
});

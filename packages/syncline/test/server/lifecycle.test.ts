// The capabilities' lifecycle (server/lifecycle.ts): start in order, unwind in reverse on failure, close in reverse,
// reload in two phases. Capabilities here are small real values recording what happens to them.
import { describe, expect, it } from 'vitest';
import type { AppModel } from '../../src/app/model.js';
import type { Capability } from '../../src/server/capability.js';
import { startCapabilities } from '../../src/server/lifecycle.js';

function recorder() {
  const events: string[] = [];
  const capability = (name: string, behaviour: Partial<Capability> = {}): Capability => ({
    name,
    start: () => void events.push(`start ${name}`),
    close: () => void events.push(`close ${name}`),
    ...behaviour,
  });
  return { events, capability };
}

const NEXT = { name: 'next' } as AppModel;

describe('startCapabilities', () => {
  it('starts in list order and closes in reverse', async () => {
    const { events, capability } = recorder();
    const running = await startCapabilities([capability('a'), capability('b'), capability('c')]);
    await running.close();
    expect(events).toEqual(['start a', 'start b', 'start c', 'close c', 'close b', 'close a']);
  });

  it('on a failed start closes the failing capability and those before it, in reverse, and rethrows', async () => {
    const { events, capability } = recorder();
    const broken = capability('b', {
      start() {
        events.push('start b');
        throw new Error('b cannot start');
      },
    });
    await expect(startCapabilities([capability('a'), broken, capability('c')])).rejects.toThrow('b cannot start');
    expect(events).toEqual(['start a', 'start b', 'close b', 'close a']);
  });

  it('closes every capability even when one fails to close, then reports the failure', async () => {
    const { events, capability } = recorder();
    const stubborn = capability('b', {
      close() {
        events.push('close b');
        throw new Error('b will not close');
      },
    });
    const running = await startCapabilities([capability('a'), stubborn, capability('c')]);
    await expect(running.close()).rejects.toThrow('b will not close');
    expect(events.slice(3)).toEqual(['close c', 'close b', 'close a']);
  });

  it('reloads in two phases: prepare all, swap, commit all, retire in reverse', async () => {
    const { events, capability } = recorder();
    const stepping = (name: string) =>
      capability(name, {
        reload(next) {
          events.push(`prepare ${name} ${next.name}`);
          return {
            commit: () => void events.push(`commit ${name}`),
            abort: () => void events.push(`abort ${name}`),
            retire: () => void events.push(`retire ${name}`),
          };
        },
      });
    const running = await startCapabilities([stepping('a'), capability('plain'), stepping('b')]);
    events.length = 0;
    await running.reload(NEXT, () => events.push('swap'));
    expect(events).toEqual([
      'prepare a next',
      'prepare b next',
      'swap',
      'commit a',
      'commit b',
      'retire b',
      'retire a',
    ]);
  });

  it('aborts every prepared step, in reverse, and never swaps when one preparation fails', async () => {
    const { events, capability } = recorder();
    const preparing = (name: string) =>
      capability(name, {
        reload() {
          events.push(`prepare ${name}`);
          return { commit: () => void events.push(`commit ${name}`), abort: () => void events.push(`abort ${name}`) };
        },
      });
    const failing = capability('c', {
      reload() {
        throw new Error('the new schema does not parse');
      },
    });
    const running = await startCapabilities([preparing('a'), preparing('b'), failing]);
    events.length = 0;
    await expect(running.reload(NEXT, () => events.push('swap'))).rejects.toThrow('does not parse');
    expect(events).toEqual(['prepare a', 'prepare b', 'abort b', 'abort a']);
  });
});

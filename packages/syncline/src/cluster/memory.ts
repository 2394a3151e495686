// The in-process adapter, the default. A private bus (one per server) reaches nobody else, so the fan-out skips it
// entirely; a bus shared by several servers in one process delivers by direct call, for tests and embedding.
import type { PubSub, PubSubHandler, PubSubMessage } from './pubsub.js';
import { StateCell } from './stateCell.js';

/** Channels and their handlers; share one between servers to make them one in-process cluster. */
export class MemoryBus {
  readonly channels = new Map<string, Set<PubSubHandler>>();
}

export function createMemoryPubSub(options: { bus?: MemoryBus } = {}): PubSub {
  const bus = options.bus ?? new MemoryBus();
  const cell = new StateCell();
  const mine: [string, PubSubHandler][] = [];
  return {
    kind: 'memory',
    target: 'memory',
    local: options.bus === undefined,
    get state() {
      return cell.state;
    },
    async connect() {
      cell.set('connected');
    },
    publish(channel: string, message: PubSubMessage) {
      if (cell.state === 'closed') return false;
      const handlers = bus.channels.get(channel);
      if (handlers) for (const handler of handlers) handler(message);
      return true;
    },
    async subscribe(channel, handler) {
      let handlers = bus.channels.get(channel);
      if (!handlers) bus.channels.set(channel, (handlers = new Set()));
      handlers.add(handler);
      mine.push([channel, handler]);
    },
    onState: (listener) => cell.on(listener),
    async close() {
      for (const [channel, handler] of mine.splice(0)) {
        const handlers = bus.channels.get(channel);
        handlers?.delete(handler);
        if (handlers?.size === 0) bus.channels.delete(channel);
      }
      cell.set('closed');
    },
  };
}

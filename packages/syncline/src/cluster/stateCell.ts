// The connection state an adapter reports, with its listeners: each adapter maps its client's events onto it.
import type { PubSubState } from './pubsub.js';

export type StateListener = (state: PubSubState, error?: Error) => void;

export class StateCell {
  private current: PubSubState = 'connecting';
  private readonly listeners = new Set<StateListener>();

  get state(): PubSubState {
    return this.current;
  }

  /** Repeated states are not reported again: a flapping client is one loss until it is back. */
  set(next: PubSubState, error?: Error): void {
    if (next === this.current || this.current === 'closed') return;
    this.current = next;
    for (const listener of this.listeners) listener(next, error);
  }

  on(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import type { SubscriptionSink } from '../hub.js';

/** What a protocol connection offers its subscriptions' sinks. */
export interface FrameTarget {
  send(frame: string): void;
  invalidated(id: string): void;
}

/**
 * Delivers the hub's payload JSON (rendered once for every subscriber of a selection) inside this
 * subscription's frame: `prefix` holds the frame up to the payload, e.g. `{"type":"data","id":"7","payload":`.
 */
export class FrameSink implements SubscriptionSink {
  constructor(
    private readonly connection: FrameTarget,
    private readonly id: string,
    private readonly prefix: string,
  ) {}

  deliver(payloadJson: string): void {
    this.connection.send(`${this.prefix + payloadJson}}`);
  }

  invalidated(): void {
    this.connection.invalidated(this.id);
  }
}

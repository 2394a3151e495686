// Span ids and clocks for the journal, and the X-Ray ↔ OpenTelemetry trace id mapping.
import { randomBytes } from 'node:crypto';

// Random bytes drawn in blocks: one span id costs a slice of a buffer, not a call into the OS.
const BLOCK = 4096;
let pool = Buffer.alloc(0);
let offset = BLOCK;

/** 16 hex digits, as X-Ray segment ids and OpenTelemetry span ids. */
export function newSpanId(): string {
  if (offset + 8 > pool.length) {
    pool = randomBytes(BLOCK);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + 8);
  offset += 8;
  return id;
}

/** Epoch milliseconds with sub-millisecond precision (span starts). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** `1-5759e988-bd862e3fe1be46a994272793` → `5759e988bd862e3fe1be46a994272793`, as the AWS X-Ray propagator maps it. */
export function otelTraceId(xrayRoot: string): string {
  return xrayRoot.slice(2, 10) + xrayRoot.slice(11);
}

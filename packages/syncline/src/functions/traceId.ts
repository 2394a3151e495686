// X-Ray trace ids as Lambda hands them to a function in `_X_AMZN_TRACE_ID`: `Root=1-<8 hex epoch seconds>-<24
// hex>;Parent=<16 hex>;Sampled=<0|1>`. An incoming `X-Amzn-Trace-Id` header keeps its Root (and its sampling
// decision), so a trace started by a client or a load balancer continues into the function (Powertools Tracer
// reads it); without one, a new Root is made. Parent is a new segment id per invocation, as Lambda's own segment.
import { randomBytes } from 'node:crypto';
import { newSpanId } from '../trace/ids.js';

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const PARENT = /^[0-9a-f]{16}$/;

export const TRACE_HEADER = 'x-amzn-trace-id';

export function newTraceRoot(nowMs = Date.now()): string {
  return `1-${Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
}

/** Root and Sampled of a `X-Amzn-Trace-Id` header; undefined when it carries no well-formed Root. */
export function parseTraceHeader(
  header: string | string[] | undefined,
): { root: string; parent?: string; sampled: '0' | '1' } | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || value.length > 1024) return undefined;
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: '0' | '1' = '0';
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 'Root' && ROOT.test(v)) root = v;
    else if (key === 'Parent' && PARENT.test(v)) parent = v;
    else if (key === 'Sampled' && (v === '1' || v === '0')) sampled = v;
  }
  if (!root) return undefined;
  return parent ? { root, parent, sampled } : { root, sampled };
}

/** One invocation's place in its trace: the Root, the caller's segment, its own segment, and the env value. */
export interface InvocationTrace {
  root: string;
  /** The caller's segment (the incoming header's Parent), if it named one. */
  parent?: string;
  /** This invocation's segment id: the Parent its own outgoing calls carry. */
  segment: string;
  /** The `_X_AMZN_TRACE_ID` value. */
  header: string;
}

/** The incoming header's trace continued, or a new one. */
export function invocationTrace(incoming?: string | string[]): InvocationTrace {
  const parsed = parseTraceHeader(incoming);
  const root = parsed?.root ?? newTraceRoot();
  const segment = newSpanId();
  return {
    root,
    parent: parsed?.parent,
    segment,
    header: `Root=${root};Parent=${segment};Sampled=${parsed?.sampled ?? '0'}`,
  };
}

/** The `_X_AMZN_TRACE_ID` of one invocation: the incoming header's trace continued, or a new one. */
export function invocationTraceId(incoming?: string | string[]): string {
  return invocationTrace(incoming).header;
}

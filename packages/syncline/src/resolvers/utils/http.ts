// util.http. The engine has no hook for custom response headers yet, so accepted headers go nowhere; the
// rejections AppSync reports (as ResponseHeaderError entries) are reported the same way here.
import type { HostSlot } from '../host.js';
import { ResolverError } from '../signals.js';
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { utf8Length } from './utf8.js';
import { isMap, setOwn } from './values.js';

const HOP_BY_HOP = new Set([
  'transfer-encoding',
  'connection',
  'host',
  'expect',
  'keep-alive',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'content-length',
]);

const RESERVED_RESPONSE_HEADERS = new Set([
  ...HOP_BY_HOP,
  'access-control-allow-credentials',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
  'content-type',
]);

/** Custom headers of one response may total 4 KB, names included. */
const MAX_HEADER_BYTES = 4096;

export function copyHeaders(headers: unknown): Record<string, unknown> {
  if (!isMap(headers)) throw misuse('util.http.copyHeaders', `expected a map of headers, got ${describe(headers)}`);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) setOwn(out, name, value);
  }
  return out;
}

/** Why AppSync would refuse this response header, or undefined if it is acceptable. */
export function responseHeaderProblem(name: unknown, value: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'a response header needs a non-empty name';
  const lower = name.toLowerCase();
  if (RESERVED_RESPONSE_HEADERS.has(lower)) return `the response header '${name}' is restricted`;
  if (lower.startsWith('x-amzn-') || lower.startsWith('x-amz-'))
    return `the response header '${name}' uses a restricted prefix`;
  if (value === null || value === undefined) return `the response header '${name}' has no value`;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (utf8Length(name) + utf8Length(text) > MAX_HEADER_BYTES) return `the response header '${name}' exceeds 4 KB`;
  return undefined;
}

export function createHttp(slot: HostSlot) {
  const add = (name: unknown, value: unknown) => {
    const problem = responseHeaderProblem(name, value);
    if (problem) slot.current().appendError(new ResolverError(problem, 'ResponseHeaderError'));
  };
  return {
    copyHeaders,
    addResponseHeader: (name: string, value: unknown): void => add(name, value),
    addResponseHeaders: (headers: Record<string, unknown>): void => {
      if (!isMap(headers))
        throw misuse('util.http.addResponseHeaders', `expected a map of headers, got ${describe(headers)}`);
      for (const [name, value] of Object.entries(headers)) add(name, value);
    },
  };
}

// `_X_AMZN_TRACE_ID` in functions, set per invocation as Lambda does, continuing an incoming X-Amzn-Trace-Id.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invocationTraceId, parseTraceHeader } from '../../src/functions/traceId.js';
import type { SynclineServer } from '../../src/index.js';
import { gql, startFixture } from '../helpers/server.js';

const FORMAT = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$/;
const INCOMING = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

let server: SynclineServer;
beforeAll(async () => {
  server = await startFixture('trace');
});
afterAll(() => server.close());

const viaRoute = async (headers: Record<string, string> = {}) =>
  (await fetch(`${server.endpoints.http}/trace`, { headers })).text();

describe('_X_AMZN_TRACE_ID', () => {
  it('is set for every invocation, a new trace each time without an incoming header', async () => {
    const a = await viaRoute();
    const b = await viaRoute();
    expect(a).toMatch(FORMAT);
    expect(b).toMatch(FORMAT);
    expect(a.split(';')[0]).not.toBe(b.split(';')[0]);
    // The Root's time part is now, in seconds.
    const seconds = Number.parseInt(a.slice('Root=1-'.length, 'Root=1-'.length + 8), 16);
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(60);
  });

  it("continues an HTTP request's X-Amzn-Trace-Id: same Root and sampling, a new Parent", async () => {
    const id = await viaRoute({ 'x-amzn-trace-id': INCOMING });
    expect(id).toMatch(FORMAT);
    expect(id).toMatch(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=(?!53995c3f42cd8ad8)[0-9a-f]{16};Sampled=1$/);
  });

  it("continues a GraphQL request's X-Amzn-Trace-Id into a Lambda resolver", async () => {
    const res = await gql(server, '{ trace }', undefined, { 'x-api-key': server.apiKey!, 'x-amzn-trace-id': INCOMING });
    expect(res.body.data.trace).toMatch(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$/);
  });

  it('ignores a malformed header and starts a new trace', async () => {
    const id = await viaRoute({ 'x-amzn-trace-id': 'Root=nonsense;Sampled=1' });
    expect(id).toMatch(FORMAT);
    expect(id).toMatch(/Sampled=0$/);
  });

  it('never throws and always yields the format, whatever the header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expect(invocationTraceId(s)).toMatch(FORMAT);
        parseTraceHeader(s);
      }),
    );
  });
});

// Client data keyed `__proto__`, `constructor` or `prototype` (GraphQL variables, AWSJSON values, subscription
// filters) must round-trip as plain data: no prototype pollution, no field lost or invented, never a 500.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { gql } from '../helpers/server.js';
import { b64url, RawSocket } from '../realtime/helpers.js';

const KEY = 'da2-limitsfixturekey00000000';
let server: SynclineServer;

beforeAll(async () => {
  server = await createServer({
    dir: fileURLToPath(new URL('./fixtures/limits', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
  });
});
afterAll(() => server?.close());

async function raw(body: string) {
  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('prototype-named keys in client data', () => {
  it('keeps constructor and prototype input fields; a __proto__ key is an unknown field, polluting nothing', async () => {
    const r = await raw(
      '{"query":"query ($i: EchoInput) { echo(input: $i) { constructor prototype toString name } }",' +
        '"variables":{"i":{"__proto__":{"polluted":"yes"},"constructor":"c","prototype":"p","toString":"t","name":"n"}}}',
    );
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0].message).toMatch(/Field "__proto__" is not defined by type EchoInput/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const ok = await raw(
      '{"query":"query ($i: EchoInput) { echo(input: $i) { constructor prototype toString name } }",' +
        '"variables":{"i":{"constructor":"c","prototype":"p","toString":"t","name":"n"}}}',
    );
    expect(ok.body).toEqual({ data: { echo: { constructor: 'c', prototype: 'p', toString: 't', name: 'n' } } });
  });

  it('answers a __proto__ key after other input fields, and nested ones, without hanging the server', async () => {
    // graphql-jit's variable coercion walked such an object's own __proto__ key into a loop on main.
    for (const variables of [
      '{"i":{"name":"n","__proto__":{"name":"x"}}}',
      '{"i":{"name":"n","__proto__":{"__proto__":{"name":"x"}}}}',
      '{"i":{"__proto__":null,"name":"n"}}',
    ]) {
      const r = await raw(`{"query":"query ($i: EchoInput) { echo(input: $i) { name } }","variables":${variables}}`);
      expect(r.status).toBe(200);
      expect(r.body.errors[0].message).toMatch(/Field "__proto__" is not defined by type EchoInput/);
    }
    const ok = await raw(
      '{"query":"query ($i: EchoInput) { echo(input: $i) { name } }","variables":{"i":{"name":"n"}}}',
    );
    expect(ok.body).toEqual({ data: { echo: { name: 'n' } } });
  });

  it('reads an omitted constructor field or argument as absent, not as Object', async () => {
    const r = await gql(
      server,
      'query ($i: EchoInput) { echo(input: $i) { constructor prototype name } }',
      { i: { name: 'n' } },
      { 'x-api-key': KEY },
    );
    expect(r.body).toEqual({ data: { echo: { constructor: null, prototype: null, name: 'n' } } });
    const v = await gql(server, 'query ($c: String) { echo(constructor: $c) { arg } }', {}, { 'x-api-key': KEY });
    expect(v.status).toBe(200);
    expect(v.body.errors).toBeUndefined();
  });

  it('round-trips AWSJSON objects with __proto__ and constructor keys', async () => {
    const json = '{"__proto__":{"x":1},"constructor":2,"prototype":[3]}';
    const r = await gql(server, 'query ($j: AWSJSON) { echo(json: $j) { json } }', { j: json }, { 'x-api-key': KEY });
    expect(r.status).toBe(200);
    const back = JSON.parse(r.body.data.echo.json);
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({ x: 1 });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('matches a subscription argument named constructor as an ordinary, absent field', async () => {
    const host = new URL(server.endpoints.graphql).host;
    const auth = { host, 'x-api-key': KEY };
    const socket = await RawSocket.open(server.endpoints.realtime!, ['graphql-ws', `header-${b64url(auth)}`]);
    try {
      socket.send({ type: 'connection_init' });
      expect((await socket.next()).type).toBe('connection_ack');
      const start = (id: string, query: string, variables: Record<string, unknown>) =>
        socket.send({
          id,
          type: 'start',
          payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: auth } },
        });
      start('a', 'subscription { onNode(constructor: null) { id } }', {});
      const aa = await socket.next((x) => x.id === 'a');
      expect(aa, JSON.stringify(aa)).toMatchObject({ type: 'start_ack' });
      // The mutation does not select constructor, so the published value has no such key: an explicit null
      // argument matches it, as it matches any field the mutation left out.
      const m = await gql(server, 'mutation { addNode(id: "1") { id } }', undefined, { 'x-api-key': KEY });
      expect(m.body.data.addNode).toEqual({ id: '1' });
      const got = await socket.next((x) => x.type === 'data');
      expect(got).toMatchObject({ id: 'a', payload: { data: { onNode: { id: '1' } } } });
    } finally {
      socket.close();
    }
  });
});

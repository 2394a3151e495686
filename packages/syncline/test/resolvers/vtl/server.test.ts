// VTL resolvers end to end: a real server loading the `vtl` fixture app (syncline.config.ts with request/response
// template files), spoken to over HTTP as AppSync clients do.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SynclineServer } from '../../../src/index.js';
import { gql, startFixture } from '../../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startFixture('vtl');
});
afterAll(async () => {
  await server?.close();
});

const NOTE = 'id owner text createdAt';

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('VTL resolvers on a real server', () => {
  it('a unit resolver on NONE answers its payload', async () => {
    const res = await gql(server, '{ hello }');
    expect(res.body).toEqual({ data: { hello: 'world' } });
  });

  it('PutItem, GetItem and Query on DynamoDB use the request documents AppSync takes', async () => {
    const before = Date.now();
    for (const [id, text] of [
      ['n1', 'first'],
      ['n2', 'second'],
      ['n3', 'third'],
    ]) {
      const put = await gql(
        server,
        `mutation($id: ID!, $text: String!) { putNote(id: $id, owner: "ann", text: $text) { ${NOTE} } }`,
        {
          id,
          text,
        },
      );
      expect(put.body.errors, JSON.stringify(put.body.errors)).toBeUndefined();
      expect(put.body.data.putNote).toMatchObject({ id, owner: 'ann', text });
      expect(put.body.data.putNote.createdAt).toBeGreaterThanOrEqual(before);
    }
    const got = await gql(server, `{ getNote(id: "n2") { ${NOTE} } }`);
    expect(got.body.data.getNote).toMatchObject({ id: 'n2', owner: 'ann', text: 'second' });
    expect((await gql(server, '{ getNote(id: "none") { id } }')).body).toEqual({ data: { getNote: null } });

    const page1 = await gql(server, '{ notesByOwner(owner: "ann", limit: 2) { items { id } nextToken } }');
    expect(page1.body.data.notesByOwner.items.map((n: { id: string }) => n.id)).toEqual(['n1', 'n2']);
    expect(page1.body.data.notesByOwner.nextToken).toEqual(expect.any(String));
    const page2 = await gql(
      server,
      'query($t: String) { notesByOwner(owner: "ann", limit: 2, nextToken: $t) { items { id } nextToken } }',
      {
        t: page1.body.data.notesByOwner.nextToken,
      },
    );
    expect(page2.body.data.notesByOwner).toEqual({ items: [{ id: 'n3' }], nextToken: null });
  });

  it('UpdateItem, DeleteItem and BatchGetItem take their AppSync request documents', async () => {
    await gql(server, 'mutation { putNote(id: "u1", owner: "di", text: "old") { id } }');
    await gql(server, 'mutation { putNote(id: "u2", owner: "di", text: "two") { id } }');
    const updated = await gql(server, 'mutation { updateNote(id: "u1", text: "new") { id text owner } }');
    expect(updated.body).toEqual({ data: { updateNote: { id: 'u1', text: 'new', owner: 'di' } } });
    const missing = await gql(server, 'mutation { updateNote(id: "nope", text: "x") { id } }');
    expect(missing.body.errors[0].errorType).toBe('DynamoDB:ConditionalCheckFailedException');

    const batch = await gql(server, '{ notesById(ids: ["u1", "u2", "nope"]) { id text } }');
    const found = batch.body.data.notesById
      .filter(Boolean)
      .map((n: { id: string }) => n.id)
      .sort();
    expect(found).toEqual(['u1', 'u2']);

    const deleted = await gql(server, 'mutation { deleteNote(id: "u2") { id text } }');
    expect(deleted.body).toEqual({ data: { deleteNote: { id: 'u2', text: 'two' } } });
    expect((await gql(server, '{ getNote(id: "u2") { id } }')).body).toEqual({ data: { getNote: null } });
  });

  it('2018-05-29: a data source error reaches the response template as $ctx.error', async () => {
    await gql(server, 'mutation { putNote(id: "dup", owner: "bo", text: "x") { id } }');
    const again = await gql(server, 'mutation { putNote(id: "dup", owner: "bo", text: "y") { id } }');
    expect(again.body.data.putNote).toBeNull();
    expect(again.body.errors[0]).toMatchObject({
      errorType: 'DynamoDB:ConditionalCheckFailedException',
      path: ['putNote'],
    });
  });

  it('2017-02-28: a data source error is raised without the response template handling it', async () => {
    await gql(server, 'mutation { putNoteOld(id: "old", owner: "bo", text: "x") { id } }');
    const again = await gql(server, 'mutation { putNoteOld(id: "old", owner: "bo", text: "y") { id } }');
    expect(again.body.data.putNoteOld).toBeNull();
    expect(again.body.errors[0]).toMatchObject({ errorType: 'DynamoDB:ConditionalCheckFailedException' });
  });

  it('a unit resolver on Lambda invokes the function with the payload', async () => {
    expect((await gql(server, '{ echo(msg: "hi") }')).body).toEqual({ data: { echo: 'echo: hi' } });
    const failed = await gql(server, '{ echo(msg: "boom") }');
    expect(failed.body.data.echo).toBeNull();
    expect(failed.body.errors[0].message).toMatch(/echo failed/);
  });

  it('a pipeline runs VTL before/after templates around a VTL function and an APPSYNC_JS function', async () => {
    await gql(server, 'mutation { putNote(id: "p1", owner: "cy", text: "quiet") { id } }');
    const res = await gql(server, '{ shout(id: "p1") { id text shouted } }');
    expect(res.body).toEqual({ data: { shout: { id: 'p1', text: '!! QUIET', shouted: true } } });
  });

  it('a VTL subscription resolver sets a subscription filter; a VTL mutation feeds a graphql-ws subscriber', async () => {
    const client = createClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': server.apiKey! },
      retryAttempts: 0,
    });
    const received: unknown[] = [];
    const before = server.realtime.hub.stats.active;
    const stop = client.subscribe(
      { query: 'subscription { onPublish(channel: "a") { channel text } }' },
      { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => {} },
    );
    await until(() => server.realtime.hub.stats.active === before + 1);
    const other = await gql(server, 'mutation { publish(channel: "b", text: "not for you") { channel text } }');
    expect(other.body).toEqual({ data: { publish: { channel: 'b', text: 'not for you' } } });
    await gql(server, 'mutation { publish(channel: "a", text: "hello a") { channel text } }');
    await until(() => received.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([{ data: { onPublish: { channel: 'a', text: 'hello a' } } }]);
    stop();
    await client.dispose();
  });

  it('$util.error fails the field with AppSync error shape', async () => {
    const res = await gql(server, '{ fail }');
    expect(res.body.data).toEqual({ fail: null });
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message: 'Nope', errorType: 'Custom', data: { reason: 'always' }, path: ['fail'] }),
    ]);
  });

  it('escape attempts and a runaway template fail their request; the server keeps serving', async () => {
    for (const how of [1, 2, 3]) {
      const res = await gql(server, `{ escape(how: ${how}) }`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ escape: null });
      expect(res.body.errors[0].errorType).toBe('MappingTemplate');
    }
    const loop = await gql(server, '{ loop }');
    expect(loop.body.data).toEqual({ loop: null });
    expect(loop.body.errors[0]).toMatchObject({ errorType: 'Code', message: expect.stringMatching(/time limit/) });
    expect((await gql(server, '{ hello }')).body).toEqual({ data: { hello: 'world' } });
  });
});

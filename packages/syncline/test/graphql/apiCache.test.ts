// AppSync's API cache on one node: per-resolver caching by caching keys, FULL_REQUEST_CACHING of every query
// resolver by arguments and identity, TTL expiry, eviction from a mutation, and errors never cached.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/index.js';
import { ApiCache, parseCachingKey } from '../../src/graphql/apiCache.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, gql, startFixture } from '../helpers/server.js';

const dirs: string[] = [];
/** The api-cache fixture with its config edited. */
function variant(edit: (config: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-cache-'));
  dirs.push(dir);
  cpSync(fixtureApp('api-cache'), dir, { recursive: true });
  const file = join(dir, 'syncline.config.ts');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
  return dir;
}

const as = (user: string) => ({ authorization: `user-${user}` });

describe('PER_RESOLVER_CACHING', () => {
  let server: SynclineServer;
  const calls = () => server.functions.stats('lookup').invocations;
  beforeAll(async () => {
    server = await startFixture('api-cache');
  });
  afterAll(() => server?.close());

  it('a second identical request is answered from the cache without invoking the data source', async () => {
    const before = calls();
    const first = await gql(server, 'query { user(id: "1") { id call } }');
    const second = await gql(server, 'query { user(id: "1") { id call } }');
    expect(calls()).toBe(before + 1);
    expect(second.body).toEqual(first.body);
    expect(first.body.data.user.id).toBe('1');
  });

  it('another value of a caching key is another entry', async () => {
    const before = calls();
    const a = await gql(server, 'query { user(id: "2") { call } }');
    const b = await gql(server, 'query { user(id: "3") { call } }');
    expect(calls()).toBe(before + 2);
    expect(a.body.data.user.call).not.toBe(b.body.data.user.call);
  });

  it('keys naming only arguments share the entry across callers', async () => {
    const before = calls();
    const a = await gql(server, 'query { user(id: "4") { call caller } }', undefined, as('ann'));
    const b = await gql(server, 'query { user(id: "4") { call caller } }', undefined, as('bob'));
    expect(calls()).toBe(before + 1);
    expect(b.body.data.user).toEqual(a.body.data.user);
  });

  it('without keys, arguments and identity make the key: a different identity is a different entry', async () => {
    const before = calls();
    const ann1 = await gql(server, 'query { me { call caller } }', undefined, as('ann'));
    const bob = await gql(server, 'query { me { call caller } }', undefined, as('bob'));
    const ann2 = await gql(server, 'query { me { call caller } }', undefined, as('ann'));
    expect(calls()).toBe(before + 2);
    expect(ann1.body.data.me.caller).toBe('ann');
    expect(bob.body.data.me.caller).toBe('bob');
    expect(ann2.body.data.me).toEqual(ann1.body.data.me);
  });

  it('a resolver without caching always runs', async () => {
    const before = calls();
    await gql(server, 'query { uncached(id: "1") { call } }');
    await gql(server, 'query { uncached(id: "1") { call } }');
    expect(calls()).toBe(before + 2);
  });

  it('an entry expires after its TTL', async () => {
    const before = calls();
    await gql(server, 'query { brief(id: "1") { call } }');
    await gql(server, 'query { brief(id: "1") { call } }');
    expect(calls()).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 1100));
    await gql(server, 'query { brief(id: "1") { call } }');
    expect(calls()).toBe(before + 2);
  });

  it('an error is not cached', async () => {
    const before = calls();
    const first = await gql(server, 'query { failing(id: "1") { call } }');
    await gql(server, 'query { failing(id: "1") { call } }');
    expect(calls()).toBe(before + 2);
    expect(first.body.errors[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: 'lookup failed' });
  });

  it('extensions.evictFromApiCache in a mutation removes the entry and reports apiCacheEntriesDeleted', async () => {
    await gql(server, 'query { user(id: "e") { call } }');
    const before = calls();
    await gql(server, 'query { user(id: "e") { call } }');
    expect(calls()).toBe(before);
    const evicted = await gql(server, 'mutation { renameUser(id: "e") }');
    expect(evicted.body).toEqual({ data: { renameUser: 1 }, extensions: { apiCacheEntriesDeleted: 1 } });
    await gql(server, 'query { user(id: "e") { call } }');
    expect(calls()).toBe(before + 1);
    const again = await gql(server, 'mutation { renameUser(id: "unknown") }');
    expect(again.body.extensions).toEqual({ apiCacheEntriesDeleted: 0 });
  });
});

describe('FULL_REQUEST_CACHING', () => {
  let server: SynclineServer;
  const calls = () => server.functions.stats('lookup').invocations;
  beforeAll(async () => {
    const dir = variant((c) =>
      c.replace("behavior: 'PER_RESOLVER_CACHING', ttl: 300", "behavior: 'FULL_REQUEST_CACHING', ttl: 300"),
    );
    server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
  });
  afterAll(async () => {
    await server?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('caches every query resolver by arguments and identity', async () => {
    const before = calls();
    await gql(server, 'query { uncached(id: "1") { call } }', undefined, as('ann'));
    await gql(server, 'query { uncached(id: "1") { call } }', undefined, as('ann'));
    expect(calls()).toBe(before + 1);
    await gql(server, 'query { uncached(id: "1") { call } }', undefined, as('bob'));
    await gql(server, 'query { uncached(id: "2") { call } }', undefined, as('ann'));
    expect(calls()).toBe(before + 3);
  });
});

describe('caching config', () => {
  afterAll(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("without an API cache a resolver's caching does nothing, as on AppSync", async () => {
    const dir = variant((c) => c.replace("caching: { behavior: 'PER_RESOLVER_CACHING', ttl: 300 },", ''));
    const app = await loadApp(dir, { data: ':memory:', env: {} });
    expect(app.graphql!.caching).toBeUndefined();
    expect(app.graphql!.resolvers.every((r) => r.caching === undefined)).toBe(true);
  });

  it('refuses a caching key outside arguments, source and identity', async () => {
    const dir = variant((c) => c.replace("'$context.arguments.id'", "'$context.stash.id'"));
    await expect(loadApp(dir, { data: ':memory:', env: {} })).rejects.toThrow(/keys\[0\].*not a caching key/);
  });
});

describe('ApiCache', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new ApiCache(2);
    cache.set('a', 1, 60);
    cache.set('b', 2, 60);
    expect(cache.get('a')).toEqual({ value: 1 });
    cache.set('c', 3, 60);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ value: 1 });
    expect(cache.size).toBe(2);
  });

  it('expires entries by the clock it is given', () => {
    let now = 0;
    const cache = new ApiCache(10, () => now);
    cache.set('a', { x: 1 }, 5);
    now = 4999;
    expect(cache.get('a')).toEqual({ value: { x: 1 } });
    now = 5000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('a caching key parser answers null or a key for any text, never throws', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const key = parseCachingKey(text);
        if (key) expect(['arguments', 'source', 'identity']).toContain(key.section);
      }),
    );
    expect(parseCachingKey('$ctx.args.id')?.name).toBe('context.arguments.id');
    expect(parseCachingKey('$context.identity.claims.sub')?.path).toEqual(['claims', 'sub']);
    expect(parseCachingKey('$context.stash.x')).toBeNull();
  });
});

describe('eviction across a cluster (Redis)', () => {
  const nodes: SynclineServer[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  it("an eviction on node A removes node B's entry too", async () => {
    const pubsub = `redis://127.0.0.1:6379?namespace=cache-${process.pid}-${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await createServer({ dir: fixtureApp('api-cache'), port: 0, data: ':memory:', log: 'silent', pubsub }),
      );
    }
    const [a, b] = nodes as [SynclineServer, SynclineServer];
    const calls = () => b.functions.stats('lookup').invocations;
    await gql(b, 'query { user(id: "c1") { call } }');
    await gql(b, 'query { user(id: "c1") { call } }');
    const cached = calls();
    const evicted = await gql(a, 'mutation { renameUser(id: "c1") }');
    expect(evicted.body.extensions).toEqual({ apiCacheEntriesDeleted: 0 });
    // The eviction reaches B through the broker: B asks its data source again.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      await gql(b, 'query { user(id: "c1") { call } }');
      if (calls() > cached) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(calls()).toBe(cached + 1);
  });
});

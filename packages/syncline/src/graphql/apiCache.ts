// AppSync's server-side API cache, in memory on this node: resolver results kept for a TTL under a key made of the
// resolver's field and its caching keys' values. FULL_REQUEST_CACHING caches every query resolver keyed by
// `ctx.arguments` and `ctx.identity`; PER_RESOLVER_CACHING caches the resolvers that opt in, keyed by their
// `cachingKeys` (or the same default). A nested field's default key also holds `ctx.source`, so two parents never
// share an entry (stricter than AppSync documents, which names arguments and identity only). Entries are bounded
// (least recently used goes first) and stored as JSON, so a cached value is never shared or mutated.
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { GraphqlModel, ResolverModel } from '../app/model.js';
import type { RequestContext } from './requestContext.js';

/** AppSync's TTL bounds (seconds) and its default when none is set. */
export const CACHE_TTL = { min: 1, max: 3600, default: 3600 };
export const DEFAULT_MAX_ENTRIES = 10_000;

type Section = 'arguments' | 'source' | 'identity';
interface CachingKey {
  /** As written by the user, for messages. */
  text: string;
  /** `context.arguments.id`: the name evictFromApiCache's keyValuePair uses. */
  name: string;
  section: Section;
  path: string[];
}

/** A caching key (`$context.arguments.id`, `$ctx.identity.sub`, `$context.source.id`) or null when it is none. */
export function parseCachingKey(text: string): CachingKey | null {
  const m = /^\$?(?:context|ctx)\.(arguments|args|source|identity)((?:\.[A-Za-z_][A-Za-z0-9_-]*)*)$/.exec(text.trim());
  if (!m) return null;
  const section = (m[1] === 'args' ? 'arguments' : m[1]) as Section;
  const path = m[2] ? m[2].slice(1).split('.') : [];
  return { text, name: ['context', section, ...path].join('.'), section, path };
}

/** JSON with object keys sorted: equal values give equal keys whatever their key order. */
function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

interface Entry {
  json: string;
  expiresAt: number;
}

/** The entries of one API on one node. */
export class ApiCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(
    readonly maxEntries = DEFAULT_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  get size() {
    return this.entries.size;
  }

  get(key: string): { value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Refreshes its place: the least recently used entry is the first in the map.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { value: JSON.parse(entry.json) };
  }

  set(key: string, value: unknown, ttlSeconds: number): void {
    const json = JSON.stringify(value);
    if (json === undefined) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { json, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

interface FieldCaching {
  ttl: number;
  /** Null: the default key (arguments, identity, and source below the root). */
  keys: CachingKey[] | null;
}

const fieldKey = (typeName: string, fieldName: string, values: string) => `${typeName}.${fieldName}\n${values}`;

/** One `extensions.evictFromApiCache` call, as the cluster carries it to the other nodes. */
export interface ApiCacheEviction {
  typeName: string;
  fieldName: string;
  keys: Record<string, unknown>;
}

/** What `extensions.evictFromApiCache` needs: the fields' caching keys and the cache. */
export interface ApiCacheEvictor {
  /** Removes the entry here and tells the other nodes; answers how many entries this node removed. */
  evict(typeName: string, fieldName: string, keyValues: Record<string, unknown>): number;
  /** Another node's eviction: removes the entry here only. */
  applyRemote(eviction: ApiCacheEviction): void;
}

/** Which resolvers are cached, with what TTL and keys, under the API's caching behavior. */
function fieldCaching(model: GraphqlModel, resolver: ResolverModel): FieldCaching | undefined {
  const caching = model.caching;
  if (!caching) return undefined;
  const own = resolver.caching;
  if (caching.behavior === 'PER_RESOLVER_CACHING' && !own) return undefined;
  const keys = own?.keys?.length ? own.keys.map((k) => parseCachingKey(k)!) : null;
  return { ttl: own?.ttl ?? caching.ttl, keys };
}

/**
 * Wraps the cached resolvers of `schema` (query operations only: a mutation or subscription always runs) and
 * returns the evictor for `extensions.evictFromApiCache`, or undefined when the API has no cache.
 */
export function applyApiCache(
  schema: GraphQLSchema,
  model: GraphqlModel,
  cache: ApiCache,
  /** Hears every local eviction, to share it with the cluster's other nodes. */
  onEvict?: (eviction: ApiCacheEviction) => void,
): ApiCacheEvictor | undefined {
  if (!model.caching) return undefined;
  const configured = new Map<string, FieldCaching>();
  for (const resolver of model.resolvers) {
    const settings = fieldCaching(model, resolver);
    if (!settings) continue;
    const type = schema.getType(resolver.typeName);
    const field = type && 'getFields' in type ? type.getFields()[resolver.fieldName] : undefined;
    if (!field || !('resolve' in field) || !field.resolve) continue;
    configured.set(`${resolver.typeName}.${resolver.fieldName}`, settings);
    const resolve = field.resolve as GraphQLFieldResolver<unknown, RequestContext>;
    const { typeName, fieldName } = resolver;
    const root = typeName === schema.getQueryType()?.name;
    field.resolve = (source, args, context, info) => {
      if (info.operation.operation !== 'query') return resolve(source, args, context, info);
      const roots = { arguments: args, identity: context.auth.identity ?? null, source: source ?? null };
      const values = settings.keys
        ? stableJson(settings.keys.map((k) => valueAt(roots[k.section], k.path)))
        : stableJson(root ? [roots.arguments, roots.identity] : [roots.arguments, roots.identity, roots.source]);
      const key = fieldKey(typeName, fieldName, values);
      const hit = cache.get(key);
      if (hit) {
        cache.hits++;
        return hit.value;
      }
      cache.misses++;
      const errorsBefore = context.appendedErrors.length;
      const store = (value: unknown) => {
        // A result that came with an appended error is not kept: the next request asks the data source again.
        if (context.appendedErrors.length === errorsBefore) cache.set(key, value, settings.ttl);
        return value;
      };
      const out = resolve(source, args, context, info);
      return out instanceof Promise ? out.then(store) : store(out);
    };
  }
  const evictHere = (typeName: string, fieldName: string, keyValues: Record<string, unknown>) => {
    const settings = configured.get(`${typeName}.${fieldName}`);
    if (!settings?.keys) return 0;
    const given = new Map<string, unknown>();
    for (const [k, v] of Object.entries(keyValues)) {
      const parsed = parseCachingKey(k);
      if (parsed) given.set(parsed.name, v);
    }
    const values = stableJson(settings.keys.map((k) => given.get(k.name)));
    return cache.delete(fieldKey(typeName, fieldName, values)) ? 1 : 0;
  };
  return {
    evict(typeName, fieldName, keys) {
      const deleted = evictHere(typeName, fieldName, keys);
      if (configured.get(`${typeName}.${fieldName}`)?.keys) onEvict?.({ typeName, fieldName, keys });
      return deleted;
    },
    applyRemote: ({ typeName, fieldName, keys }) => void evictHere(typeName, fieldName, keys),
  };
}

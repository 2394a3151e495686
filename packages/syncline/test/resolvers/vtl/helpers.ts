// Renders VTL templates in a real resolver realm (the same path the server takes), without a server.
import type { ResolverContext } from '../../../src/resolvers/context.js';
import type { RuntimeHost } from '../../../src/resolvers/host.js';
import type { ResolverError } from '../../../src/resolvers/signals.js';
import { loadVtlModule, type VtlTemplates } from '../../../src/resolvers/vtl/load.js';

export function host(): RuntimeHost & { appended: ResolverError[] } {
  const appended: ResolverError[] = [];
  return {
    appended,
    appendError: (e) => appended.push(e),
    setSubscriptionFilter() {},
    setSubscriptionInvalidationFilter() {},
    invalidateSubscriptions() {},
    evictFromApiCache() {},
    authType: () => 'API Key Authorization',
  };
}

export const ctx = (args: Record<string, unknown> = {}, extra: Partial<ResolverContext> = {}): ResolverContext => ({
  arguments: args,
  args,
  identity: { sub: 'user-1', username: 'alice', claims: { groups: ['admin'] } },
  source: null,
  stash: {},
  prev: { result: null },
  info: {
    fieldName: 'f',
    parentTypeName: 'Query',
    variables: {},
    selectionSetList: ['id'],
    selectionSetGraphQL: '{ id }',
  },
  request: { headers: { 'x-api-key': 'da2-test' }, domainName: null },
  env: {},
  ...extra,
});

export interface Rendered {
  value?: unknown;
  error?: ResolverError & { errorType: string | null };
  stash?: Record<string, unknown>;
  appended: ResolverError[];
}

/** Renders `template` as a unit resolver's request template on `args`. */
export async function request(
  template: string,
  args: Record<string, unknown> = {},
  extra: Partial<ResolverContext> = {},
  options: { cpuMs?: number; kind?: VtlTemplates['kind'] } = {},
): Promise<Rendered> {
  const module = await loadVtlModule(
    { source: 'test.vtl', request: template, kind: options.kind ?? 'unit' },
    { log: () => {} },
    { cpuMs: options.cpuMs ?? 200, maxArrayLength: 1_000_000, maxStringLength: 16 * 1024 * 1024 },
  );
  const h = host();
  const c = ctx(args, extra);
  try {
    return { value: module.run('request', c, h), stash: c.stash, appended: h.appended };
  } catch (error) {
    return { error: error as Rendered['error'], appended: h.appended };
  }
}

/** The JSON value a template renders to, wrapping a helper call: `{"v": <expr>}` → v. */
export async function value(expr: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const out = await request(`{"v": ${expr}}`, args);
  if (out.error) throw out.error;
  return (out.value as { v: unknown }).v;
}

// Runs unit and pipeline resolvers: request handler → data source → response handler, with AppSync's rules for
// stash, prev.result, earlyReturn and errors. Handlers run in their module's realm (sandbox.ts) on a copy of ctx and
// are synchronous; only a data source may be async, so a resolver on a NONE data source completes without a promise.
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { GraphqlModel, ResolverModel } from '../app/model.js';
import type { DataSource, InvokeSettings } from '../datasources/types.js';
import { DataSourceError } from '../datasources/types.js';
import type { ApiCacheEvictor } from '../graphql/apiCache.js';
import type { RequestContext } from '../graphql/requestContext.js';
import { NO_PREVIOUS, type ResolverContext, resolverInfo, sharedContextJson } from './context.js';
import type { RuntimeHost } from './host.js';
import type { HandlerName, ResolverModule } from './sandbox.js';
import { EarlyReturn, ResolverError } from './signals.js';

const AUTH_TYPE_NAMES: Record<string, string> = {
  API_KEY: 'API Key Authorization',
  AWS_IAM: 'IAM Authorization',
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
};

class Frame implements RuntimeHost {
  constructor(
    readonly request: RequestContext,
    private readonly info: GraphQLResolveInfo,
    private readonly cache: { evictor?: ApiCacheEvictor },
  ) {}

  appendError(error: ResolverError): void {
    const path: (string | number)[] = [];
    for (let p: GraphQLResolveInfo['path'] | undefined = this.info.path; p; p = p.prev) path.unshift(p.key);
    this.request.appendedErrors.push({
      path,
      data: error.data ?? null,
      errorType: error.errorType,
      errorInfo: error.errorInfo ?? null,
      locations: this.info.fieldNodes.map((n) => ({
        line: n.loc?.startToken.line ?? 0,
        column: n.loc?.startToken.column ?? 0,
        sourceName: null,
      })),
      message: error.message,
    });
  }

  setSubscriptionFilter(filter: unknown): void {
    this.requireSubscription('setSubscriptionFilter');
    this.request.subscriptionFilter = filter;
  }

  setSubscriptionInvalidationFilter(filter: unknown): void {
    this.requireSubscription('setSubscriptionInvalidationFilter');
    this.request.subscriptionInvalidationFilter = filter;
  }

  invalidateSubscriptions(spec: unknown): void {
    if (this.info.operation.operation !== 'mutation') {
      throw new ResolverError('extensions.invalidateSubscriptions can only be used in a mutation resolver');
    }
    this.request.invalidations.push(spec);
  }

  evictFromApiCache(typeName: string, fieldName: string, keys: unknown): void {
    if (this.info.operation.operation !== 'mutation') {
      throw new ResolverError('extensions.evictFromApiCache can only be used in a mutation resolver');
    }
    const deleted = this.cache.evictor?.evict(typeName, fieldName, keys as Record<string, unknown>) ?? 0;
    this.request.apiCacheEntriesDeleted = (this.request.apiCacheEntriesDeleted ?? 0) + deleted;
  }

  authType(): string {
    return AUTH_TYPE_NAMES[this.request.auth.mode] ?? this.request.auth.mode;
  }

  private requireSubscription(name: string) {
    if (this.info.operation.operation !== 'subscription') {
      throw new ResolverError(`extensions.${name} can only be used in a subscription resolver`);
    }
  }
}

export interface CompiledFunction {
  module: ResolverModule;
  dataSource: DataSource;
  /** The function's maxBatchSize and name, for BatchInvoke. */
  settings?: InvokeSettings;
}

export interface ResolverParts {
  resolver: ResolverModel;
  /** The resolver's own code (unit code, or a pipeline's before/after handlers). */
  module?: ResolverModule;
  /** Unit resolvers. */
  dataSource?: DataSource;
  /** Pipeline resolvers, in order. */
  functions?: CompiledFunction[];
  /** Unit resolvers: the resolver's maxBatchSize, for BatchInvoke. */
  settings?: InvokeSettings;
}

type Step = { value: unknown } | { early: EarlyReturn };

function then<T, R>(value: T | Promise<T>, fn: (v: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

export function createFieldResolver(
  parts: ResolverParts,
  env: GraphqlModel['environment'],
  /** The API cache's evictor, set once every resolver exists (graphql/apiCache.ts). */
  cache: { evictor?: ApiCacheEvictor } = {},
): GraphQLFieldResolver<unknown, RequestContext> {
  const step = (
    module: ResolverModule | undefined,
    handler: HandlerName,
    ctx: ResolverContext,
    frame: Frame,
    fallback: unknown,
    last = false,
  ): Step => {
    if (!module?.has(handler)) return { value: fallback };
    try {
      return { value: module.run(handler, ctx, frame, sharedContextJson(ctx), last) };
    } catch (signal) {
      if (signal instanceof EarlyReturn) return { early: signal };
      throw signal;
    }
  };

  const invoke = (
    ds: DataSource,
    request: unknown,
    ctx: ResolverContext,
    call: RequestContext,
    settings: InvokeSettings | undefined,
  ): unknown | Promise<unknown> => {
    const fail = (error: unknown) => {
      ctx.result = null;
      ctx.error =
        error instanceof DataSourceError
          ? { message: error.message, type: error.type }
          : { message: (error as Error).message ?? String(error), type: 'InternalFailure' };
    };
    try {
      const out = ds.invoke(request, ctx, call, settings);
      if (out instanceof Promise) {
        return out.then((r) => {
          ctx.result = r;
          ctx.error = undefined;
        }, fail);
      }
      ctx.result = out;
      ctx.error = undefined;
    } catch (error) {
      fail(error);
    }
    return undefined;
  };

  // One request → data source → response round, shared by unit resolvers (`last`: nothing reads ctx after it)
  // and pipeline functions.
  const round = (
    module: ResolverModule | undefined,
    ds: DataSource,
    ctx: ResolverContext,
    frame: Frame,
    settings: InvokeSettings | undefined,
    last: boolean,
  ) => {
    if (module && ds.type === 'NONE') return step(module, 'none', ctx, frame, null, last);
    const req = step(module, 'request', ctx, frame, {});
    if ('early' in req) return req;
    return then(
      invoke(ds, req.value, ctx, frame.request, settings),
      (): Step => step(module, 'response', ctx, frame, ctx.result, last),
    );
  };

  const { resolver } = parts;
  return (source, args, request, info) => {
    const frame = new Frame(request, info, cache);
    const ctx: ResolverContext = {
      arguments: args,
      args,
      identity: request.auth.identity,
      source: source ?? null,
      stash: {},
      prev: NO_PREVIOUS,
      info: resolverInfo(info),
      request: { headers: request.headers, domainName: request.domainName },
      env,
    };

    if (resolver.kind === 'UNIT') {
      return then(round(parts.module, parts.dataSource!, ctx, frame, parts.settings, true), (s) =>
        'early' in s ? s.early.value : s.value,
      );
    }

    const before = step(parts.module, 'request', ctx, frame, {});
    const after = (): unknown => {
      const s = step(parts.module, 'response', ctx, frame, ctx.prev.result, true);
      return 'early' in s ? s.early.value : s.value;
    };
    if ('early' in before) {
      ctx.prev = { result: before.early.value };
      return after();
    }
    ctx.prev = { result: before.value };
    const functions = parts.functions!;
    const next = (i: number): unknown => {
      if (i === functions.length) return after();
      ctx.result = undefined;
      ctx.error = undefined;
      const fn = functions[i];
      return then(round(fn.module, fn.dataSource, ctx, frame, fn.settings, false), (s) => {
        if ('early' in s) {
          ctx.prev = { result: s.early.value };
          return s.early.skipTo === 'END' ? after() : next(i + 1);
        }
        ctx.prev = { result: s.value };
        return next(i + 1);
      });
    };
    return next(0);
  };
}

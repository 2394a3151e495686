// AppSync's AWS_LAMBDA data source. `Invoke` sends the request's payload as the function's event; `BatchInvoke`
// collects the calls one resolver makes at one level of one GraphQL request (a list of parents) into invocations
// of at most `maxBatchSize` payloads whose event is the array of payloads, and hands result i back to call i.
// A resolver without code on this data source is a direct Lambda resolver: the whole resolver context is the
// event (an array of contexts when the resolver has a `maxBatchSize`) and the function's answer is the field.
// Function errors reach resolvers as AppSync reports them: errorType `Lambda:Unhandled`, the function's message.

import type { GraphQLFieldResolver } from 'graphql';
import { TRACE_HEADER } from '../functions/traceId.js';
import type { FunctionRuntime, InvokeResult } from '../functions/types.js';
import type { RequestContext } from '../graphql/requestContext.js';
import { resolverInfo } from '../resolvers/context.js';
import type { ResolverModule } from '../resolvers/sandbox.js';
import { ResolverError } from '../resolvers/signals.js';
import { type DataSource, DataSourceError, type InvokeSettings } from './types.js';

const UNHANDLED = 'Lambda:Unhandled';
/** AppSync's quota for one BatchInvoke; also the batch size when a resolver sets none. */
export const MAX_BATCH_SIZE = 2000;

interface LambdaRequest {
  operation: 'Invoke' | 'BatchInvoke';
  payload?: unknown;
  invocationType?: 'RequestResponse' | 'Event';
}

interface Batch {
  payloads: unknown[];
  settle: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[];
}

function parseRequest(request: unknown): LambdaRequest {
  const r = request as Partial<LambdaRequest> | null;
  if (!r || typeof r !== 'object' || (r.operation !== 'Invoke' && r.operation !== 'BatchInvoke')) {
    throw new DataSourceError(
      `Unsupported operation '${String(r?.operation)}'. A Lambda request's operation is Invoke or BatchInvoke.`,
      'MappingTemplate',
    );
  }
  if (r.invocationType !== undefined && r.invocationType !== 'RequestResponse' && r.invocationType !== 'Event') {
    throw new DataSourceError(
      `Unsupported invocationType '${String(r.invocationType)}'. Use RequestResponse or Event.`,
      'MappingTemplate',
    );
  }
  return r as LambdaRequest;
}

const functionError = (result: Extract<InvokeResult, { ok: false }>) =>
  new DataSourceError(result.error.errorMessage, UNHANDLED);

/**
 * One item of a batched direct Lambda answer: a plain result, or `{ data, errorMessage, errorType }` to fail that
 * item only. (A resolver with code gets the item untouched as `ctx.result` and decides itself, as on AppSync.)
 */
function directBatchItem(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const o = item as Record<string, unknown>;
  const keys = Object.keys(o);
  if (!keys.every((k) => k === 'data' || k === 'errorMessage' || k === 'errorType')) return item;
  if (o.errorMessage != null || o.errorType != null) {
    throw new ResolverError(String(o.errorMessage ?? ''), o.errorType != null ? String(o.errorType) : UNHANDLED);
  }
  return o.data ?? null;
}

export function lambdaDataSource(name: string, functionName: string, runtime: FunctionRuntime): DataSource {
  // Pending batches per GraphQL request, then per resolver: the executor issues every call of one level in one
  // turn (all items of a list resolve their field synchronously, one after another), so a batch is flushed when
  // it is full or at the end of that turn.
  const batches = new WeakMap<RequestContext, Map<string, Batch>>();

  const flush = async (batch: Batch, fail: (message: string) => Error) => {
    const result = await runtime.invoke(functionName, batch.payloads, { trigger: 'resolver' });
    if (!result.ok) {
      const error = fail(result.error.errorMessage);
      for (const s of batch.settle) s.reject(error);
      return;
    }
    const items = result.payload;
    if (!Array.isArray(items) || items.length !== batch.payloads.length) {
      const got = Array.isArray(items) ? `${items.length} results` : 'no list';
      const error = fail(
        `BatchInvoke sent ${batch.payloads.length} payloads and the function returned ${got}; it must return one result per payload, in order.`,
      );
      for (const s of batch.settle) s.reject(error);
      return;
    }
    for (const [i, s] of batch.settle.entries()) s.resolve(items[i]);
  };

  const batched = (
    payload: unknown,
    call: RequestContext,
    key: string,
    maxBatchSize: number,
    fail: (message: string) => Error,
  ): Promise<unknown> => {
    let open = batches.get(call);
    if (!open) batches.set(call, (open = new Map()));
    let batch = open.get(key);
    if (!batch) {
      const created: Batch = { payloads: [], settle: [] };
      open.set(key, created);
      batch = created;
      setImmediate(() => {
        if (open.get(key) === created) open.delete(key);
        if (created.payloads.length) void flush(created, fail);
      });
    }
    batch.payloads.push(payload);
    const settled = new Promise((resolve, reject) => batch.settle.push({ resolve, reject }));
    if (batch.payloads.length >= maxBatchSize) {
      // Full: send it now; the end-of-turn flush finds it empty-handed (already removed, payloads moved).
      open.delete(key);
      const full: Batch = { payloads: batch.payloads, settle: batch.settle };
      batch.payloads = [];
      batch.settle = [];
      void flush(full, fail);
    }
    return settled;
  };

  const dataSourceError = (message: string) => new DataSourceError(message, UNHANDLED);
  const resolverError = (message: string) => new ResolverError(message, UNHANDLED);

  const directResolver = (settings: InvokeSettings): GraphQLFieldResolver<unknown, RequestContext> => {
    const maxBatchSize = settings.maxBatchSize ?? 0;
    return async (source, args, request, info) => {
      const event = JSON.parse(
        JSON.stringify({
          arguments: args,
          identity: request.auth.identity ?? null,
          source: source ?? null,
          request: { headers: request.headers, domainName: request.domainName },
          prev: null,
          info: resolverInfo(info),
          stash: {},
        }),
      );
      if (maxBatchSize > 0) {
        const key = `${info.parentType.name}.${info.fieldName}`;
        return directBatchItem(await batched(event, request, key, maxBatchSize, resolverError));
      }
      const result = await runtime.invoke(functionName, event, {
        traceHeader: request.headers[TRACE_HEADER],
        trigger: 'resolver',
      });
      if (!result.ok) throw new ResolverError(result.error.errorMessage, UNHANDLED);
      return result.payload;
    };
  };

  return {
    name,
    type: 'AWS_LAMBDA',
    async invoke(request, ctx, call, settings) {
      const r = parseRequest(request);
      if (r.operation === 'BatchInvoke') {
        const key = `${ctx.info.parentTypeName}.${ctx.info.fieldName}${settings?.key ? `#${settings.key}` : ''}`;
        const size = settings?.maxBatchSize || MAX_BATCH_SIZE;
        return batched(r.payload ?? null, call, key, size, dataSourceError);
      }
      const result = await runtime.invoke(functionName, r.payload ?? null, {
        invocationType: r.invocationType,
        traceHeader: call.headers[TRACE_HEADER],
        trigger: 'resolver',
      });
      if (!result.ok) throw functionError(result);
      return r.invocationType === 'Event' ? null : result.payload;
    },
    directResolver,
  };
}

/**
 * A pipeline function without code or templates on a Lambda data source, AppSync's direct Lambda function: the
 * function is sent the whole context as a direct Lambda resolver is, with the pipeline's `prev` and `stash`
 * (changes it makes to them are not read back, as on AppSync). Its answer is the function's result; a function
 * error ends the field with `Lambda:Unhandled`, as AppSync's default direct Lambda response does.
 */
export function directLambdaFunction(name: string, maxBatchSize = 0): ResolverModule {
  return {
    file: `direct Lambda function ${name}`,
    has: (handler) => handler !== 'none',
    run(handler, ctx) {
      if (handler === 'request') {
        const { arguments: args, identity, source, request, prev, info, stash } = ctx;
        return {
          operation: maxBatchSize > 0 ? 'BatchInvoke' : 'Invoke',
          payload: JSON.parse(
            JSON.stringify({
              arguments: args,
              identity: identity ?? null,
              source: source ?? null,
              request,
              prev,
              info,
              stash,
            }),
          ),
        };
      }
      if (ctx.error) throw new ResolverError(ctx.error.message, ctx.error.type);
      return maxBatchSize > 0 ? directBatchItem(ctx.result) : ctx.result;
    },
  };
}

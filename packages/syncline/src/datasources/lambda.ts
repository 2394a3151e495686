// AppSync's AWS_LAMBDA data source. `Invoke` sends the request's payload as the function's event; `BatchInvoke`
// collects the calls one field makes across one GraphQL request (a list of parents) into one invocation whose
// event is the array of payloads, and hands result i back to call i. A resolver without code on this data source
// is a direct Lambda resolver: the whole resolver context is the event and the function's answer is the field.
// Function errors reach resolvers as AppSync reports them: errorType `Lambda:Unhandled`, the function's message.

import type { GraphQLFieldResolver } from 'graphql';
import { TRACE_HEADER } from '../functions/traceId.js';
import type { FunctionRuntime, InvokeResult } from '../functions/types.js';
import type { RequestContext } from '../graphql/requestContext.js';
import { resolverInfo } from '../resolvers/context.js';
import { ResolverError } from '../resolvers/signals.js';
import { type DataSource, DataSourceError } from './types.js';

const UNHANDLED = 'Lambda:Unhandled';

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

/** One item of a BatchInvoke answer: a plain result, or `{ data, errorMessage, errorType }`. */
function batchItem(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const o = item as Record<string, unknown>;
  if (o.errorMessage != null || o.errorType != null) {
    throw new DataSourceError(String(o.errorMessage ?? ''), o.errorType != null ? String(o.errorType) : UNHANDLED);
  }
  const keys = Object.keys(o);
  if ('data' in o && keys.every((k) => k === 'data' || k === 'errorMessage' || k === 'errorType')) return o.data;
  return item;
}

export function lambdaDataSource(name: string, functionName: string, runtime: FunctionRuntime): DataSource {
  // Pending batches per GraphQL request, then per field; flushed once the executor has issued every call it can
  // in this turn (all items of a list resolve their field synchronously, one after another).
  const batches = new WeakMap<RequestContext, Map<string, Batch>>();

  const flush = async (batch: Batch) => {
    const result = await runtime.invoke(functionName, batch.payloads);
    if (!result.ok) {
      for (const s of batch.settle) s.reject(functionError(result));
      return;
    }
    const items = result.payload;
    if (!Array.isArray(items) || items.length !== batch.payloads.length) {
      const got = Array.isArray(items) ? `${items.length} results` : 'no list';
      const error = new DataSourceError(
        `BatchInvoke sent ${batch.payloads.length} payloads and the function returned ${got}; it must return one result per payload, in order.`,
        UNHANDLED,
      );
      for (const s of batch.settle) s.reject(error);
      return;
    }
    batch.settle.forEach((s, i) => {
      try {
        s.resolve(batchItem(items[i]));
      } catch (error) {
        s.reject(error);
      }
    });
  };

  const batched = (payload: unknown, call: RequestContext, field: string): Promise<unknown> => {
    let fields = batches.get(call);
    if (!fields) batches.set(call, (fields = new Map()));
    let batch = fields.get(field);
    if (!batch) {
      const created: Batch = { payloads: [], settle: [] };
      fields.set(field, created);
      batch = created;
      setImmediate(() => {
        fields.delete(field);
        void flush(created);
      });
    }
    batch.payloads.push(payload);
    return new Promise((resolve, reject) => batch.settle.push({ resolve, reject }));
  };

  const directResolver: GraphQLFieldResolver<unknown, RequestContext> = async (source, args, request, info) => {
    const event = {
      arguments: args,
      identity: request.auth.identity ?? null,
      source: source ?? null,
      request: { headers: request.headers, domainName: request.domainName },
      prev: null,
      info: resolverInfo(info),
      stash: {},
    };
    const result = await runtime.invoke(functionName, JSON.parse(JSON.stringify(event)), {
      traceHeader: request.headers[TRACE_HEADER],
    });
    if (!result.ok) throw new ResolverError(result.error.errorMessage, UNHANDLED);
    return result.payload;
  };

  return {
    name,
    type: 'AWS_LAMBDA',
    async invoke(request, ctx, call) {
      const r = parseRequest(request);
      if (r.operation === 'BatchInvoke') {
        return batched(r.payload ?? null, call, `${ctx.info.parentTypeName}.${ctx.info.fieldName}`);
      }
      const result = await runtime.invoke(functionName, r.payload ?? null, {
        invocationType: r.invocationType,
        traceHeader: call.headers[TRACE_HEADER],
      });
      if (!result.ok) throw functionError(result);
      return r.invocationType === 'Event' ? null : result.payload;
    },
    directResolver,
  };
}

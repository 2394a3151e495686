// What every realtime transport does with one GraphQL operation, independent of framing: authenticate the
// request's own headers, prepare the document, and either turn a subscription into a hub registration (running
// the subscription field's resolver once, as AppSync does at subscribe time) or execute a query or mutation.
import { type FieldNode, type GraphQLField, getArgumentValues, getVariableValues, Kind } from 'graphql';
import { sourceIpOf } from '../auth/authenticate.js';
import type { GraphqlApi } from '../graphql/api.js';
import { RequestError } from '../graphql/errors.js';
import { type ExecutionResult, newRequestId } from '../graphql/executor.js';
import type { MutationEvent } from '../graphql/mutationEvent.js';
import { newRequestContext } from '../graphql/requestContext.js';
import { nullPrototypeVariables } from '../graphql/variables.js';
import { argumentMatcher, compileFilter, FilterError } from './filters.js';
import type { Registration } from './hub.js';
import { deniedField } from './selectionAuth.js';

export interface OperationRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** An error entry as the realtime protocols send it. */
export interface WireError {
  errorType?: string | null;
  message: string;
  errorCode?: number;
}

export type OperationOutcome =
  | { kind: 'subscription'; registration: Registration }
  | { kind: 'result'; result: ExecutionResult }
  | { kind: 'rejected'; reason: 'unauthorized' | 'invalid'; errors: WireError[] };

export interface OperationEnv {
  api: () => GraphqlApi | undefined;
  onMutation: (event: MutationEvent) => void;
}

/** Header objects arrive with any casing and any value types; AppSync's checks read lower-case strings. */
export function normalizeHeaders(headers: Record<string, unknown> | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // defineProperty, not assignment: a header named `__proto__` is data, not the object's prototype.
  const set = (key: string, value: string) =>
    Object.defineProperty(out, key.toLowerCase(), { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string') set(key, value);
    else if (Array.isArray(value) && typeof value[0] === 'string') set(key, value.join(', '));
    else if (typeof value === 'number' || typeof value === 'boolean') set(key, String(value));
  }
  return out;
}

const invalid = (message: string, errorType: string | null = 'BadRequestException'): OperationOutcome => ({
  kind: 'rejected',
  reason: 'invalid',
  errors: [{ errorType, message }],
});

export async function runOperation(
  env: OperationEnv,
  request: OperationRequest,
  headers: Record<string, string>,
  options: {
    subscriptionsOnly: boolean;
    /** The bytes a SigV4 header object signed (AppSync's `start.payload.data`); default: the request as JSON. */
    signedBody?: string;
  },
): Promise<OperationOutcome> {
  const api = env.api();
  if (!api) return invalid('This app has no GraphQL API.');
  const clientVariables = request.variables;
  request = { ...request, variables: nullPrototypeVariables(clientVariables) };
  let auth: ReturnType<GraphqlApi['authenticate']>;
  try {
    // AppSync defines a realtime operation's signed request as `POST /graphql` with the operation as its body.
    auth = await api.authenticate({
      method: 'POST',
      path: '/graphql',
      headers,
      body: options.signedBody ?? JSON.stringify({ query: request.query, variables: clientVariables ?? {} }),
      sourceIp: sourceIpOf(headers),
      operation: {
        query: request.query,
        operationName: request.operationName ?? null,
        variables: clientVariables ?? null,
      },
    });
  } catch (error) {
    if (error instanceof RequestError) {
      return {
        kind: 'rejected',
        reason: error.statusCode === 401 ? 'unauthorized' : 'invalid',
        errors: [{ errorType: error.errorType, message: error.message, errorCode: error.statusCode }],
      };
    }
    throw error;
  }
  const prepared = api.executor.prepare(request.query, request.operationName);
  if ('errors' in prepared) return { kind: 'rejected', reason: 'invalid', errors: prepared.errors };
  const context = newRequestContext(newRequestId(), auth, headers, headers.host ?? null);

  if (prepared.kind !== 'subscription') {
    if (options.subscriptionsOnly) {
      return invalid(
        `${prepared.kind} operations are not supported through the realtime channel`,
        'UnsupportedOperation',
      );
    }
    const result = await api.executor.execute(prepared, request.variables, context);
    if (prepared.kind === 'mutation') {
      env.onMutation({ result, rootFields: prepared.rootFields, invalidations: context.invalidations });
    }
    return { kind: 'result', result };
  }

  const selections = prepared.operation.selectionSet.selections;
  const root = selections[0];
  if (selections.length !== 1 || root.kind !== Kind.FIELD) {
    return invalid('A subscription must select exactly one field of the Subscription type.');
  }
  const fieldName = root.name.value;
  if (!api.schema.mutationsBySubscription.has(fieldName)) {
    return invalid(`Subscription.${fieldName} has no @aws_subscribe directive, so no mutation ever triggers it.`);
  }
  const subscriptionType = api.schema.schema.getSubscriptionType()!;
  const fieldDef = subscriptionType.getFields()[fieldName];

  const coerced = getVariableValues(
    api.schema.schema,
    prepared.operation.variableDefinitions ?? [],
    request.variables ?? {},
  );
  if (coerced.errors) {
    return {
      kind: 'rejected',
      reason: 'invalid',
      errors: coerced.errors.map((e) => ({ errorType: null, message: e.message })),
    };
  }
  const variables = coerced.coerced;

  // Delivery never runs the field checks: every selected field is checked for this subscriber now, before any
  // resolver runs (realtime/selectionAuth.ts).
  const denied = deniedField(api.schema.schema, prepared.document, root, subscriptionType, api.fieldAccess, auth);
  if (denied) {
    return {
      kind: 'rejected',
      reason: 'unauthorized',
      errors: [
        {
          errorType: 'Unauthorized',
          message: `Not Authorized to access ${denied.fieldName} on type ${denied.typeName}`,
        },
      ],
    };
  }

  // A resolver on the subscription field (or an auth-directive check) runs once, now; its errors reject.
  if (fieldDef.resolve) {
    const result = await api.executor.execute(prepared, request.variables, context);
    if (result.errors?.length) {
      const unauthorized = result.errors.some((e) => e.errorType === 'Unauthorized');
      return { kind: 'rejected', reason: unauthorized ? 'unauthorized' : 'invalid', errors: result.errors };
    }
  }

  let filter: Registration['filter'];
  let invalidation: Registration['invalidation'];
  const filterSource =
    context.subscriptionFilter !== undefined ? context.subscriptionFilter : argumentsOf(fieldDef, root, variables);
  try {
    filter =
      context.subscriptionFilter !== undefined
        ? compileFilter(context.subscriptionFilter)
        : argumentMatcher(filterSource as Record<string, unknown>);
    invalidation =
      context.subscriptionInvalidationFilter !== undefined
        ? compileFilter(context.subscriptionInvalidationFilter)
        : undefined;
  } catch (error) {
    if (error instanceof FilterError) return invalid(`Invalid subscription filter: ${error.message}`);
    throw error;
  }

  // Delivery coerces the variables itself, so it gets them as the client sent them.
  const shape = api.delivery.shape(request.query, request.operationName, request.variables ?? {}, fieldName);
  if ('errors' in shape) return { kind: 'rejected', reason: 'invalid', errors: shape.errors ?? [] };
  const source = { filter: filterSource, variables: clientVariables ?? null };
  return { kind: 'subscription', registration: { field: fieldName, shape, filter, invalidation, source } };
}

function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  // Only arguments the client wrote count: an omitted argument is a wildcard, even if the schema has a default.
  const written = new Set(
    (node.arguments ?? [])
      .filter((a) => a.value.kind !== Kind.VARIABLE || Object.hasOwn(variables, a.value.name.value))
      .map((a) => a.name.value),
  );
  const values = getArgumentValues(field, node, variables);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) if (written.has(key)) out[key] = values[key];
  return out;
}

/** Handles the `invalidations` a mutation recorded: AppSync honours at most 5 unique calls per request. */
export function invalidationCalls(invalidations: unknown[]): { field: string; payload: Record<string, unknown> }[] {
  const seen = new Set<string>();
  const out: { field: string; payload: Record<string, unknown> }[] = [];
  for (const call of invalidations) {
    if (typeof call !== 'object' || call === null) continue;
    const { subscriptionField, payload } = call as { subscriptionField?: unknown; payload?: unknown };
    if (typeof subscriptionField !== 'string' || typeof payload !== 'object' || payload === null) continue;
    const key = `${subscriptionField}\u0000${JSON.stringify(payload)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length === 5) break;
    out.push({ field: subscriptionField, payload: payload as Record<string, unknown> });
  }
  return out;
}

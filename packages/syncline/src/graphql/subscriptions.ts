// Shapes a published mutation result for one subscriber's selection set. AppSync never re-runs resolvers on
// delivery: a subscriber sees exactly the fields the mutating request selected, nulls for the rest (an error for a
// non-null field). So delivery executes against a second, resolver-free schema built from the same SDL, where
// every field reads its value from the published object and scalars pass already-serialized values through.

import { readFileSync } from 'node:fs';
import { type GraphQLSchema, isScalarType } from 'graphql';
import { type ExecutionResult, Executor, type PreparedOperation } from './executor.js';
import type { RequestContext } from './requestContext.js';
import { type ApiSchema, buildApiSchema } from './schema.js';

const passThrough = (value: unknown) => value;

// Delivery runs no resolvers, so nothing reads or writes the context except the error shaping.
const DELIVERY_CONTEXT: RequestContext = Object.freeze({
  requestId: 'delivery',
  auth: { mode: 'API_KEY', identity: null },
  headers: {},
  domainName: null,
  appendedErrors: [],
  invalidations: [],
  resolverCount: 0,
}) as RequestContext;

/** One subscriber selection, compiled: renders a published value into the `{"data":...}` payload JSON. */
export interface DeliveryShape {
  /** Equal keys render equal bytes: document text, operation name and variables. */
  readonly key: string;
  render(value: unknown): string;
}

export class SubscriptionDelivery {
  private readonly executor: Executor;

  constructor(schema: GraphQLSchema) {
    this.executor = new Executor(schema);
  }

  static fromSdl(sources: { file?: string; text: string }[]): SubscriptionDelivery {
    const { schema } = buildApiSchema(sources);
    // Values arrive already serialized by the mutation's execution (AWSJSON is a string by then).
    for (const type of Object.values(schema.getTypeMap())) {
      if (isScalarType(type) && type.name.startsWith('AWS')) type.serialize = passThrough;
    }
    return new SubscriptionDelivery(schema);
  }

  static fromFiles(files: string[]): SubscriptionDelivery {
    return SubscriptionDelivery.fromSdl(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
  }

  /** Compiles a subscription document already validated against the API schema (same SDL, so it validates here). */
  shape(
    query: string,
    operationName: string | null | undefined,
    variables: Record<string, unknown>,
    fieldName: string,
  ): DeliveryShape | { errors: ExecutionResult['errors'] } {
    const prepared = this.executor.prepare(query, operationName);
    if ('errors' in prepared) return { errors: prepared.errors };
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}\u0000${query}`;
    const executor = this.executor;
    return {
      key,
      render(value: unknown): string {
        return JSON.stringify(run(executor, prepared, variables, { [fieldName]: value }));
      },
    };
  }
}

function run(
  executor: Executor,
  prepared: PreparedOperation,
  variables: Record<string, unknown>,
  root: Record<string, unknown>,
): ExecutionResult {
  const result = executor.execute(prepared, variables, DELIVERY_CONTEXT, root);
  // No resolvers means no promises; a promise here would be a schema we did not build.
  if (result instanceof Promise) throw new Error('subscription delivery must be synchronous');
  return result;
}

export type { ApiSchema };

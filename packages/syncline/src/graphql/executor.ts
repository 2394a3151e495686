// Executes GraphQL requests. A document is parsed, validated and compiled (graphql-jit) once and kept in a
// bounded cache keyed by its text, so a repeated query costs a map lookup plus the compiled function.
import { randomUUID } from 'node:crypto';
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { type AppSyncErrorEntry, executionErrorEntry, syntaxErrorEntry, validationErrorEntry } from './errors.js';
import type { RequestContext } from './requestContext.js';

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface ExecutionResult {
  data?: Record<string, unknown> | null;
  errors?: AppSyncErrorEntry[];
}

export interface PreparedOperation {
  kind: 'query' | 'mutation' | 'subscription';
  operation: OperationDefinitionNode;
  document: DocumentNode;
  compiled: CompiledQuery;
  /** Response key → root field name, for publishing mutation results by field. */
  rootFields: { responseKey: string; fieldName: string }[];
}

type Prepared = PreparedOperation | { errors: AppSyncErrorEntry[] };

interface CachedDocument {
  document?: DocumentNode;
  errors?: AppSyncErrorEntry[];
  operations: Map<string, Prepared>;
}

export interface ExecutorOptions {
  maxDepth?: number;
  cacheSize?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

export class Executor {
  private readonly cache = new Map<string, CachedDocument>();
  private readonly maxDepth: number;
  private readonly cacheSize: number;

  constructor(
    readonly schema: GraphQLSchema,
    options: ExecutorOptions = {},
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.cacheSize = options.cacheSize ?? 1000;
  }

  prepare(query: string, operationName?: string | null): Prepared {
    let doc = this.cache.get(query);
    if (!doc) {
      doc = this.parseAndValidate(query);
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(query, doc);
    }
    if (doc.errors) return { errors: doc.errors };
    const key = operationName ?? '';
    let prepared = doc.operations.get(key);
    if (!prepared) {
      prepared = this.compile(doc.document!, operationName ?? undefined);
      doc.operations.set(key, prepared);
    }
    return prepared;
  }

  execute(
    prepared: PreparedOperation,
    variables: Record<string, unknown> | null | undefined,
    context: RequestContext,
    rootValue: unknown = undefined,
  ): ExecutionResult | Promise<ExecutionResult> {
    const result = prepared.compiled.query(rootValue, context, variables ?? {});
    return result instanceof Promise ? result.then((r) => shape(r, context)) : shape(result, context);
  }

  private parseAndValidate(query: string): CachedDocument {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [syntaxErrorEntry(error as GraphQLError)], operations: new Map() };
    }
    const errors = validate(this.schema, document);
    if (errors.length) {
      return { errors: errors.map((e) => validationErrorEntry(e, fieldPathOf(e))), operations: new Map() };
    }
    for (const def of document.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      const depth = selectionDepth(def.selectionSet, document);
      if (depth > this.maxDepth) {
        return {
          errors: [
            { path: null, locations: null, message: `maximum query depth exceeded ${depth} > ${this.maxDepth}` },
          ],
          operations: new Map(),
        };
      }
    }
    return { document, operations: new Map() };
  }

  private compile(document: DocumentNode, operationName: string | undefined): Prepared {
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = operationName
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (!operation) {
      const message = operationName
        ? `Unknown operation named '${operationName}'.`
        : 'Must provide operation name if query contains multiple operations.';
      return { errors: [{ path: null, locations: null, message }] };
    }
    const compiled = compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true });
    if (!isCompiledQuery(compiled)) {
      return { errors: (compiled.errors ?? []).map((e) => validationErrorEntry(e as GraphQLError)) };
    }
    const rootFields = operation.selectionSet.selections.flatMap((s) =>
      s.kind === Kind.FIELD ? [{ responseKey: (s.alias ?? s.name).value, fieldName: s.name.value }] : [],
    );
    return { kind: operation.operation, operation, document, compiled, rootFields };
  }
}

function shape(result: { data?: unknown; errors?: readonly GraphQLError[] }, context: RequestContext): ExecutionResult {
  const out: ExecutionResult = { data: (result.data ?? null) as Record<string, unknown> | null };
  if (!result.errors?.length && !context.appendedErrors.length) return out;
  out.errors = [...(result.errors ?? []).map(executionErrorEntry), ...context.appendedErrors];
  return out;
}

function fieldPathOf(error: GraphQLError): string {
  const node = error.nodes?.[0];
  return node && node.kind === Kind.FIELD ? node.name.value : '';
}

function selectionDepth(set: SelectionSetNode | undefined, document: DocumentNode, seen = new Set<string>()): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) max = Math.max(max, 1 + selectionDepth(sel.selectionSet, document, seen));
    else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, selectionDepth(sel.selectionSet, document, seen));
    else if (!seen.has(sel.name.value)) {
      const frag = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value,
      );
      if (frag && frag.kind === Kind.FRAGMENT_DEFINITION) {
        max = Math.max(max, selectionDepth(frag.selectionSet, document, new Set([...seen, sel.name.value])));
      }
    }
  }
  return max;
}

// A UUID per request costs a crypto call on the hot path; a random per-process prefix plus a counter is just as
// unique for a request id and keeps the UUID shape clients expect in x-amzn-RequestId.
const REQUEST_ID_PREFIX = randomUUID().slice(0, 24);
let requestCounter = 0;
export const newRequestId = () =>
  REQUEST_ID_PREFIX + (requestCounter++ % 0x1000000000000).toString(16).padStart(12, '0');

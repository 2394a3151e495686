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
  specifiedRules,
  type ValidationRule,
  validate,
  visit,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { type AppSyncErrorEntry, executionErrorEntry, syntaxErrorEntry, validationErrorEntry } from './errors.js';
import {
  DEFAULT_LIMITS,
  depthError,
  type GraphqlLimits,
  NoIntrospection,
  nestingError,
  operationCost,
  selectionsError,
  TIMEOUT_ERROR,
  textNesting,
} from './limits.js';
import { hasRecursiveVariable, interpretedQuery } from './recursiveInputs.js';
import type { RequestContext } from './requestContext.js';
import { nullPrototypeVariables } from './variables.js';

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface ExecutionResult {
  data?: Record<string, unknown> | null;
  errors?: AppSyncErrorEntry[];
  extensions?: { apiCacheEntriesDeleted?: number };
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
  limits?: Partial<GraphqlLimits>;
  cacheSize?: number;
}

export class Executor {
  private readonly cache = new Map<string, CachedDocument>();
  readonly limits: GraphqlLimits;
  private readonly cacheSize: number;
  private readonly rules: readonly ValidationRule[];

  constructor(
    readonly schema: GraphQLSchema,
    options: ExecutorOptions = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.cacheSize = options.cacheSize ?? 1000;
    this.rules = this.limits.introspection ? specifiedRules : [...specifiedRules, NoIntrospection];
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
    const result = prepared.compiled.query(rootValue, context, nullPrototypeVariables(variables));
    if (!(result instanceof Promise)) return shape(result, context);
    // AppSync answers ExecutionTimeout after 30 s; the resolvers still running are left to finish unseen.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ExecutionResult>((ok) => {
      timer = setTimeout(
        () =>
          ok({ data: null, errors: [{ path: null, data: null, ...TIMEOUT_ERROR, errorInfo: null, locations: null }] }),
        this.limits.executionTimeoutMs,
      );
      timer.unref();
    });
    return Promise.race([result.then((r) => shape(r, context)), timeout]).finally(() => clearTimeout(timer));
  }

  private parseAndValidate(query: string): CachedDocument {
    const limits = this.limits;
    const refuse = (error: AppSyncErrorEntry): CachedDocument => ({ errors: [error], operations: new Map() });
    // The parser and validator recurse once per level: the text's nesting is bounded before either runs.
    if (textNesting(query, limits.maxNesting) > limits.maxNesting) return refuse(nestingError(limits.maxNesting));
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      return refuse(syntaxErrorEntry(error as GraphQLError));
    }
    // Validation is quadratic in fields sharing a response name, so the document's size is bounded first: its
    // own fields, then each operation's with fragments expanded (aliases and repeats count, as they execute).
    let fields = 0;
    visit(document, {
      Field() {
        fields++;
      },
    });
    if (fields > limits.maxSelections) return refuse(selectionsError(fields, limits.maxSelections));
    for (const def of document.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      const cost = operationCost(document, def, limits.maxSelections);
      if (cost.selections > limits.maxSelections) {
        return refuse(selectionsError(cost.selections, limits.maxSelections));
      }
      if (limits.queryDepthLimit > 0 && cost.depth > limits.queryDepthLimit) {
        return refuse(depthError(cost.depth, limits.queryDepthLimit));
      }
    }
    const errors = validate(this.schema, document, this.rules);
    if (errors.length) {
      return { errors: errors.map((e) => validationErrorEntry(e, fieldPathOf(e))), operations: new Map() };
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
    const compiled = hasRecursiveVariable(this.schema, operation)
      ? interpretedQuery(this.schema, document, operationName)
      : compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true });
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
  if (context.apiCacheEntriesDeleted !== undefined) {
    out.extensions = { apiCacheEntriesDeleted: context.apiCacheEntriesDeleted };
  }
  if (!result.errors?.length && !context.appendedErrors.length) return out;
  out.errors = [...(result.errors ?? []).map(executionErrorEntry), ...context.appendedErrors];
  return out;
}

function fieldPathOf(error: GraphQLError): string {
  const node = error.nodes?.[0];
  return node && node.kind === Kind.FIELD ? node.name.value : '';
}

// A UUID per request costs a crypto call on the hot path; a random per-process prefix plus a counter is just as
// unique for a request id and keeps the UUID shape clients expect in x-amzn-RequestId.
const REQUEST_ID_PREFIX = randomUUID().slice(0, 24);
let requestCounter = 0;
export const newRequestId = () =>
  REQUEST_ID_PREFIX + (requestCounter++ % 0x1000000000000).toString(16).padStart(12, '0');

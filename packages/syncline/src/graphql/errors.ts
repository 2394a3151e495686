// AppSync's GraphQL error entries. AppSync is built on graphql-java, so its entries carry `path`, `data`,
// `errorType`, `errorInfo`, `locations` (with `sourceName: null`) and `message`, in that order, and validation
// messages read "Validation error of type <Kind>: ...". Everything a client sees as a GraphQL error is shaped here.
import type { GraphQLError } from 'graphql';
import { ResolverError } from '../resolvers/signals.js';

export interface AppSyncLocation {
  line: number;
  column: number;
  sourceName: null;
}

export interface AppSyncErrorEntry {
  path: readonly (string | number)[] | null;
  data?: unknown;
  errorType?: string | null;
  errorInfo?: unknown;
  locations: AppSyncLocation[] | null;
  message: string;
}

/** A request-level failure with its own HTTP status (401 UnauthorizedException, 400 BadRequestException, ...). */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorType: string,
    message: string,
    /** Why, for the server log only; never sent to the client. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = errorType;
  }

  toBody(): { errors: { errorType: string; message: string }[] } {
    return { errors: [{ errorType: this.errorType, message: this.message }] };
  }
}

export const unauthorizedRequest = (reason?: string) =>
  new RequestError(401, 'UnauthorizedException', 'You are not authorized to make this call.', reason);

const locations = (error: GraphQLError): AppSyncLocation[] | null =>
  error.locations ? error.locations.map((l) => ({ line: l.line, column: l.column, sourceName: null })) : null;

/** A field error raised while executing (resolver, data source, scalar serialization, non-null violation). */
export function executionErrorEntry(error: GraphQLError): AppSyncErrorEntry {
  const original = error.originalError;
  if (original instanceof ResolverError) {
    return {
      path: error.path ?? null,
      data: original.data ?? null,
      errorType: original.errorType,
      errorInfo: original.errorInfo ?? null,
      locations: locations(error),
      message: original.message,
    };
  }
  return {
    path: error.path ?? null,
    data: null,
    errorType: original && !(original as { graphqlInternal?: boolean }).graphqlInternal ? 'Code' : null,
    errorInfo: null,
    locations: locations(error),
    message: error.message,
  };
}

// graphql-js validation messages mapped to graphql-java's kinds, so clients matching on AppSync text keep working.
const VALIDATION_KINDS: [RegExp, string, (m: RegExpExecArray, path: string) => string][] = [
  [
    /^Cannot query field "(\w+)" on type "(\w+)"/,
    'FieldUndefined',
    (m, path) => `Field '${m[1]}' in type '${m[2]}' is undefined @ '${path}'`,
  ],
  [/^Unknown type "(\w+)"/, 'UnknownType', (m) => `Unknown type ${m[1]}`],
  [
    /^Unknown argument "(\w+)" on field "([\w.]+)"/,
    'UnknownArgument',
    (m, path) => `Unknown field argument ${m[1]} @ '${path}'`,
  ],
  [
    /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required/,
    'MissingFieldArgument',
    (m, path) => `Missing field argument ${m[2]} @ '${path}'`,
  ],
  [
    /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields/,
    'SubSelectionRequired',
    (m, path) => `Sub selection required for type ${m[2]} of field ${m[1]} @ '${path}'`,
  ],
  [
    /^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields/,
    'SubSelectionNotAllowed',
    (m, path) => `Sub selection not allowed on leaf type ${m[2]} of field ${m[1]} @ '${path}'`,
  ],
];

/** A document that fails validation; `path` is the response path of the offending field where one is known. */
export function validationErrorEntry(error: GraphQLError, fieldPath = ''): AppSyncErrorEntry {
  for (const [pattern, kind, text] of VALIDATION_KINDS) {
    const m = pattern.exec(error.message);
    if (m)
      return {
        path: null,
        locations: locations(error),
        message: `Validation error of type ${kind}: ${text(m, fieldPath)}`,
      };
  }
  return { path: null, locations: locations(error), message: `Validation error: ${error.message}` };
}

/** Syntax errors: graphql-java reports them as InvalidSyntax with the offending token's position. */
export function syntaxErrorEntry(error: GraphQLError): AppSyncErrorEntry {
  const at = error.locations?.[0];
  const detail = error.message.replace(/^Syntax Error: /, '');
  return {
    path: null,
    errorType: 'InvalidSyntax',
    locations: locations(error),
    message: at ? `Invalid Syntax : ${detail} at line ${at.line} column ${at.column}` : `Invalid Syntax : ${detail}`,
  };
}

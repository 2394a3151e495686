// Control-flow signals thrown by APPSYNC_JS built-ins. Resolver handlers are synchronous and may not use
// try/catch, so a throw is the only way `util.error` or `runtime.earlyReturn` can stop a handler mid-way;
// the resolver runner catches exactly these classes.

/** `util.error(message, errorType?, data?, errorInfo?)`: stops the handler, nulls the field. */
export class ResolverError extends Error {
  constructor(
    message: string,
    readonly errorType: string | null = null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
    this.name = 'ResolverError';
  }
}

/** `util.unauthorized()`: AppSync reports the field as `Unauthorized`. */
export class UnauthorizedSignal extends ResolverError {
  constructor(message = 'Unauthorized') {
    super(message, 'Unauthorized');
    this.name = 'UnauthorizedSignal';
  }
}

/** `runtime.earlyReturn(value, { skipTo })`. */
export class EarlyReturn {
  constructor(
    readonly value: unknown,
    readonly skipTo: 'END' | 'NEXT' = 'NEXT',
  ) {}
}

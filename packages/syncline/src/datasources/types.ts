// A data source turns the request object returned by a resolver's `request` handler into a result.
import type { ResolverContext } from '../resolvers/context.js';

export interface DataSource {
  readonly name: string;
  readonly type: string;
  invoke(request: unknown, ctx: ResolverContext): unknown;
}

/** A data source failure: it becomes `ctx.error` ({ message, type }) for the response handler, never a crash. */
export class DataSourceError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
    this.name = 'DataSourceError';
  }
}

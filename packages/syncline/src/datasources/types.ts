// A data source turns the request object returned by a resolver's `request` handler into a result.
import type { GraphQLFieldResolver } from 'graphql';
import type { RequestContext } from '../graphql/requestContext.js';
import type { ResolverContext } from '../resolvers/context.js';

export interface DataSource {
  readonly name: string;
  readonly type: string;
  /** `call` is the GraphQL request the resolver runs for: data sources that batch per request key on it. */
  invoke(request: unknown, ctx: ResolverContext, call: RequestContext): unknown;
  /** A resolver for a unit resolver without code (AppSync's direct Lambda resolvers); other types need code. */
  directResolver?: GraphQLFieldResolver<unknown, RequestContext>;
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

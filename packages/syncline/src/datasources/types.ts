// A data source turns the request object returned by a resolver's `request` handler into a result.
import type { GraphQLFieldResolver } from 'graphql';
import type { RequestContext } from '../graphql/requestContext.js';
import type { ResolverContext } from '../resolvers/context.js';

export interface DataSource {
  readonly name: string;
  readonly type: string;
  /** `call` is the GraphQL request the resolver runs for: data sources that batch per request key on it. */
  invoke(request: unknown, ctx: ResolverContext, call: RequestContext, settings?: InvokeSettings): unknown;
  /** A resolver for a unit resolver without code (AppSync's direct Lambda resolvers); other types need code. */
  directResolver?: (settings: InvokeSettings) => GraphQLFieldResolver<unknown, RequestContext>;
}

/** What the resolver or pipeline function calling a data source says about the call. */
export interface InvokeSettings {
  /** AppSync's maxBatchSize: payloads per BatchInvoke; 0 or absent turns batching off for direct Lambda. */
  maxBatchSize?: number;
  /** Tells apart the batches of different pipeline functions of one field. */
  key?: string;
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

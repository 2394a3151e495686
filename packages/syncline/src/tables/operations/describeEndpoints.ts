// DescribeEndpoints: the address clients with endpoint discovery should use. DynamoDB names its regional endpoint;
// Syncline names the host:port it serves the DynamoDB API on, so discovery never sends a client to AWS.
import type { EngineContext } from '../context.js';
import { checkRequest, type RequestShape } from '../validation/shape.js';

const shape: RequestShape = { fields: {} };

/** DynamoDB's own cache period: clients may keep the answer a day. */
const CACHE_PERIOD_IN_MINUTES = 1440;

export function describeEndpoints(
  ctx: EngineContext,
  body: unknown,
): { Endpoints: Array<{ Address: string; CachePeriodInMinutes: number }> } {
  checkRequest(body, shape);
  return { Endpoints: [{ Address: ctx.endpoint(), CachePeriodInMinutes: CACHE_PERIOD_IN_MINUTES }] };
}

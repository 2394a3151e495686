// DescribeLimits: DynamoDB's default per-account and per-table provisioned capacity quotas. Syncline enforces no
// throughput, so these are what a new AWS account gets, for tools that size requests from them.
import type { EngineContext } from '../context.js';
import { checkRequest, type RequestShape } from '../validation/shape.js';

const shape: RequestShape = { fields: {} };

export function describeLimits(_ctx: EngineContext, body: unknown): Record<string, number> {
  checkRequest(body, shape);
  return {
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  };
}

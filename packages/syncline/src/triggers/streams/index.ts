// Stream-triggered functions: Lambda's event source mappings for DynamoDB streams.
export { type EventPattern, matchesAnyPattern, matchesPattern } from './eventPattern.js';
export { type FailurePayload, failurePayload } from './failureDestination.js';
export type { DynamoDBStreamEvent, LambdaStreamRecord, TumblingWindowEvent } from './lambdaEvent.js';
export {
  mappingSpecs,
  type StreamMappingSpec,
  type StreamMappings,
  type StreamMappingsOptions,
  startStreamMappings,
} from './mappings.js';

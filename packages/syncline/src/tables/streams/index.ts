// DynamoDB Streams: change records written with each item write, their shards and retention, and the Streams API.
export { createStreamsApi, type StreamsApi } from './api.js';
export { findStream, listStreams, type StreamInfo } from './catalog.js';
export { handleStreamsRequest, STREAMS_TARGET_PREFIX } from './protocol.js';
export { createStreamRecorder, type StreamRecorder } from './recorder.js';
export {
  eventIdOf,
  materializeRecord,
  type StreamRecord,
  type StreamRecordData,
  type StreamViewType,
  traceOfStoredRecord,
} from './records.js';
export { RETENTION_MS, trimStreams } from './retention.js';
export { formatSequenceNumber, parseSequenceNumber } from './sequenceNumbers.js';
export { fnv1a, keyText, SHARD_COUNT, type ShardRef, shardsOf } from './shards.js';

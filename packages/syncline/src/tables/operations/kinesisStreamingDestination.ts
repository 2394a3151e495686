// Kinesis Data Streams destinations. Syncline has no Kinesis, so a table never has one: Describe answers an empty
// list (as DynamoDB Local does) and Enable/Disable/Update are refused, naming the table's DynamoDB stream instead.
import { requireTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { checkRequest, controlPlaneTableName, type RequestShape } from '../validation/shape.js';

const describeShape: RequestShape = { tableNameRequired: true, fields: { TableName: controlPlaneTableName } };
const changeShape: RequestShape = {
  tableNameRequired: true,
  fields: { TableName: controlPlaneTableName, StreamArn: { kind: 'string', notNull: true, minLength: 37 } },
};

export function describeKinesisStreamingDestination(
  ctx: EngineContext,
  body: unknown,
): { TableName: string; KinesisDataStreamDestinations: never[] } {
  const data = checkRequest<{ TableName: string }>(body, describeShape);
  const name = ctx.storage.read((tx) => requireTable(ctx, tx, data.TableName).table.TableName);
  return { TableName: name, KinesisDataStreamDestinations: [] };
}

/** EnableKinesisStreamingDestination, DisableKinesisStreamingDestination and UpdateKinesisStreamingDestination. */
export function changeKinesisStreamingDestination(action: string) {
  return (ctx: EngineContext, body: unknown): never => {
    const data = checkRequest<{ TableName: string; StreamArn: string }>(body, changeShape);
    ctx.storage.read((tx) => requireTable(ctx, tx, data.TableName));
    throw validation(
      `${action} is not available: Syncline provides no Amazon Kinesis Data Streams; ` +
        "consume the table's DynamoDB stream (StreamSpecification) instead",
    );
  };
}

// UpdateTimeToLive and DescribeTimeToLive. The setting is recorded on the table; expiry itself is the TTL sweeper's job.
// DynamoDB refuses a second change within an hour; locally that only gets in the way, so it is not enforced.
import { requireTable, saveTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { checkRequest, controlPlaneTableName, type RequestShape } from '../validation/shape.js';

const updateShape: RequestShape = {
  tableNameRequired: true,
  fields: {
    TableName: controlPlaneTableName,
    TimeToLiveSpecification: {
      kind: 'struct',
      name: 'TimeToLiveSpecification',
      notNull: true,
      fields: {
        AttributeName: { kind: 'string', notNull: true, minLength: 1, maxLength: 255 },
        Enabled: { kind: 'boolean', notNull: true },
      },
    },
  },
};

const describeShape: RequestShape = { tableNameRequired: true, fields: { TableName: controlPlaneTableName } };

interface TimeToLiveSpecification {
  AttributeName: string;
  Enabled: boolean;
}

export function updateTimeToLive(
  ctx: EngineContext,
  body: unknown,
): { TimeToLiveSpecification: TimeToLiveSpecification } {
  const data = checkRequest<{ TableName: string; TimeToLiveSpecification: TimeToLiveSpecification }>(body, updateShape);
  const spec = data.TimeToLiveSpecification;
  return ctx.storage.transaction((tx) => {
    const table = structuredClone(requireTable(ctx, tx, data.TableName).table);
    const current = table.TimeToLive;
    // DynamoDB's order and words (observed 2026): another attribute first, then a change that changes nothing.
    if (current?.Enabled && current.AttributeName !== spec.AttributeName) {
      throw validation(
        `TimeToLive is active on a different AttributeName: current AttributeName is ${current.AttributeName}`,
      );
    }
    if (spec.Enabled && current?.Enabled) throw validation('TimeToLive is already enabled');
    if (!spec.Enabled && !current?.Enabled) throw validation('TimeToLive is already disabled');
    table.TimeToLive = { AttributeName: spec.AttributeName, Enabled: spec.Enabled, UpdatedAt: ctx.now() };
    saveTable(ctx, tx, table);
    return { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } };
  });
}

export function describeTimeToLive(
  ctx: EngineContext,
  body: unknown,
): { TimeToLiveDescription: { TimeToLiveStatus: string; AttributeName?: string } } {
  const data = checkRequest<{ TableName: string }>(body, describeShape);
  return ctx.storage.transaction((tx) => {
    const ttl = requireTable(ctx, tx, data.TableName).table.TimeToLive;
    if (!ttl?.Enabled) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
    return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.AttributeName } };
  });
}

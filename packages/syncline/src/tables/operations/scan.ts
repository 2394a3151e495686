// Scan: a whole table or index (or one segment of it) in partition-hash order, paginated.
import { type ReturnConsumedCapacity, reportsCapacity } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { findIndex, pageResponse, readPage, resolveSelect, type Select, startKeyRow } from '../readPage.js';
import { compileExpressions, conditionAttributeNames } from '../requestExpressions.js';
import { inSegment } from '../storage/partitioning.js';
import {
  attributesToGet,
  bool,
  checkRequest,
  conditionalOperator,
  conditions,
  expressionAttributeNames,
  expressionAttributeValues,
  indexName,
  item,
  type RequestShape,
  returnConsumedCapacity,
  select,
  str,
  tableName,
} from '../validation/shape.js';
import type { Item } from '../values/index.js';

export interface ScanInput {
  TableName: string;
  IndexName?: string;
  Select?: Select;
  Limit?: number;
  Segment?: number;
  TotalSegments?: number;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: Item;
  FilterExpression?: string;
  ScanFilter?: Record<string, unknown>;
  ConditionalOperator?: string;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  fields: {
    Select: select,
    IndexName: indexName(),
    TotalSegments: { kind: 'integer', min: 1, max: 1_000_000 },
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: tableName(),
    ConditionalOperator: conditionalOperator,
    ScanFilter: conditions,
    Segment: { kind: 'integer', min: 0, max: 999_999 },
    Limit: { kind: 'integer', min: 1 },
    AttributesToGet: attributesToGet,
    ExclusiveStartKey: item(),
    ConsistentRead: bool,
    FilterExpression: str,
    ProjectionExpression: str,
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
  },
};

export function scan(ctx: EngineContext, body: unknown, wire = false) {
  const data = checkRequest<ScanInput>(body, shape);
  const expressions = compileExpressions(data as unknown as Record<string, unknown>, {
    projection: true,
    filter: 'ScanFilter',
  });
  if (data.Segment !== undefined && data.TotalSegments === undefined) {
    throw validation(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  }
  if (data.TotalSegments !== undefined) {
    if (data.Segment === undefined) {
      throw validation(
        'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
      );
    }
    if (data.Segment >= data.TotalSegments) {
      throw validation(
        `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${data.Segment} is not less than TotalSegments: ${data.TotalSegments}`,
      );
    }
  }
  return ctx.storage.read((tx) => {
    const schema = requireSchema(ctx, tx, data.TableName);
    const index = findIndex(schema, data.IndexName, data.ConsistentRead);
    const selected = resolveSelect(
      data.Select,
      data.ProjectionExpression !== undefined
        ? 'ProjectionExpression'
        : data.AttributesToGet
          ? 'AttributesToGet'
          : undefined,
      index,
    );
    const segment = data.Segment ?? 0;
    const total = data.TotalSegments ?? 1;
    let startAfter: ReturnType<typeof startKeyRow>['row'] | undefined;
    if (data.ExclusiveStartKey) {
      startAfter = startKeyRow(schema, index, data.ExclusiveStartKey, !index).row;
      if (total > 1 && !inSegment(startAfter.pk, segment, total)) {
        throw validation(
          `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${total} Segment: ${segment}`,
        );
      }
    }
    const filterNames = expressions.filter ? conditionAttributeNames(expressions.filter) : [];
    const page = readPage(
      {
        tx,
        schema,
        index,
        rows: tx.scan(schema.name, index?.name ?? '', {
          segment,
          totalSegments: total,
          startAfter,
          batchSize: data.Limit !== undefined ? Math.min(data.Limit + 1, 1000) : 256,
        }),
        limit: data.Limit,
        select: selected,
        filter: expressions.filter,
        projection: expressions.projection,
        sizes: reportsCapacity(data.ReturnConsumedCapacity),
        raw: wire,
      },
      filterNames,
    );
    return pageResponse(page, schema, index, selected, data.ConsistentRead === true, data.ReturnConsumedCapacity);
  });
}

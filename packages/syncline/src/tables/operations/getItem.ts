// GetItem.
import { CapacityMeter, type ReturnConsumedCapacity, readUnits, reportsCapacity } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { JsonText } from '../jsonText.js';
import { compileExpressions, projectItem } from '../requestExpressions.js';
import { checkKey, primaryRowKey } from '../schema.js';
import {
  attributesToGet,
  bool,
  checkRequest,
  expressionAttributeNames,
  item,
  type RequestShape,
  returnConsumedCapacity,
  str,
  tableName,
} from '../validation/shape.js';
import { type Item, itemSize, validateItem } from '../values/index.js';

export interface GetItemInput {
  TableName: string;
  Key: Item;
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  fields: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    AttributesToGet: attributesToGet,
    TableName: tableName(),
    Key: item(true),
    ConsistentRead: bool,
    ProjectionExpression: str,
    ExpressionAttributeNames: expressionAttributeNames,
  },
};

export function getItem(ctx: EngineContext, body: unknown, wire = false) {
  const data = checkRequest<GetItemInput>(body, shape);
  const key = validateItem(data.Key, 'Key');
  const { projection } = compileExpressions(data as unknown as Record<string, unknown>, { projection: true });
  return ctx.storage.read((tx) => {
    const schema = requireSchema(ctx, tx, data.TableName);
    checkKey(schema, key);
    const json = tx.get(schema.name, '', primaryRowKey(schema, key));
    const sized = reportsCapacity(data.ReturnConsumedCapacity);
    const out: Record<string, unknown> = {};
    let found: Item | undefined;
    if (json !== undefined) {
      // The wire takes the stored text as it is when nothing needs to look inside the item.
      if (wire && !projection && !sized) out.Item = new JsonText(json);
      else {
        found = JSON.parse(json) as Item;
        out.Item = projection ? projectItem(found, projection) : found;
      }
    }
    if (sized) {
      const meter = new CapacityMeter(schema, 'read');
      meter.addTable(readUnits(found ? itemSize(found) : 0, data.ConsistentRead === true));
      out.ConsumedCapacity = meter.report(data.ReturnConsumedCapacity);
    }
    return out;
  });
}

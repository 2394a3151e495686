// SearchVectors queries a vector index. Syncline's tables have no vector indexes, so after DynamoDB's checks of the
// table and index a search is refused: an unknown index as Query refuses one, a GSI with a ValidationException
// saying it is not a vector index.
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { checkRequest, indexName, type RequestShape, tableName } from '../validation/shape.js';

const shape: RequestShape = {
  fields: {
    TableName: tableName(true),
    IndexName: indexName(true),
    SearchVector: { kind: 'list', notNull: true, of: { kind: 'attributeValue' } },
    TopK: { kind: 'integer', notNull: true, min: 1 },
  },
};

export function searchVectors(ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ TableName: string; IndexName: string }>(body, shape);
  const schema = ctx.storage.read((tx) => requireSchema(ctx, tx, data.TableName));
  if (!schema.indexes.has(data.IndexName)) {
    throw validation(`The table does not have the specified index: ${data.IndexName}`);
  }
  throw validation(`SearchVectors is not available: ${data.IndexName} is not a vector index (Syncline has none)`);
}

// Every minute: pending orders older than STALE_AFTER_SECONDS become STALE. The update goes through the table,
// so the stream publishes it like any other change.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.TABLE!;
const STALE_AFTER_SECONDS = Number(process.env.STALE_AFTER_SECONDS ?? 15 * 60);

export async function handler() {
  const cutoff = new Date(Date.now() - STALE_AFTER_SECONDS * 1000).toISOString();
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :pending AND createdAt < :cutoff',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pending': 'PENDING', ':cutoff': cutoff },
    }),
  );
  for (const order of Items) {
    await db
      .send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { id: order.id },
          UpdateExpression: 'SET #s = :stale',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':stale': 'STALE', ':pending': 'PENDING' },
        }),
      )
      .catch((error) => {
        // Someone moved it on meanwhile: nothing to do.
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  return { markedStale: Items.length };
}

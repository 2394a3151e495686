// One node for bench/cluster/writes.js: the DynamoDB API over the built engine (packages/syncline/dist), on a
// SQLite data folder or a PostgreSQL URL. Usage: node writesNode.js <data folder | postgres://…>; prints READY <port>.
import { createServer } from 'node:http';
import { pino } from 'pino';
import { DYNAMODB_TARGET, dynamodbHttpHandler, openTables } from '../../packages/syncline/dist/server/tables.js';

const [where] = process.argv.slice(2);
const postgres = where.startsWith('postgres://');
const tables = openTables(postgres ? ':memory:' : where, 'us-east-1', undefined, postgres ? where : undefined);
tables.ensureTable({
  TableName: 'Bench',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});
const dynamodb = dynamodbHttpHandler(tables, pino({ level: 'silent' }));
const server = createServer(
  (req, res) => void dynamodb(req, res, String(req.headers['x-amz-target'] ?? DYNAMODB_TARGET)),
);
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
process.on('SIGTERM', () => {
  server.close();
  tables.storage.close();
  process.exit(0);
});

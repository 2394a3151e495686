// `syncline tables [list | scan <table>]`: the tables of a running server, through its console API — the list with
// keys, indexes, streams and TTL, or one table's items as JSON lines (plain values, not DynamoDB's typed form).
import { type Command, InvalidArgumentError } from 'commander';
import type { AppInfo } from '../console/appInfo.js';
import { fromItem } from '../datasources/dynamodbValues.js';
import type { Item } from '../tables/values/index.js';
import { ClientError, consoleClient, DEFAULT_ENDPOINT, runClient } from './consoleClient.js';

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive integer');
  return n;
};

export function addTablesCommand(program: Command): void {
  program
    .command('tables')
    .description("list a running server's tables, or print one table's items (through its console API)")
    .argument('[action]', 'list | scan', 'list')
    .argument('[table]', 'the table to scan (its DynamoDB name or its key under `tables`)')
    .option('--limit <n>', 'scan: print at most this many items', positive)
    .option('--typed', 'scan: print DynamoDB\'s typed JSON ({"S": ...}) instead of plain values')
    .option('--endpoint <url>', 'the server', DEFAULT_ENDPOINT)
    .action((action: string, table: string | undefined, opts) =>
      runClient(async () => {
        const client = consoleClient(opts.endpoint);
        if (action === 'list') return list(await client.get<AppInfo>('app'));
        if (action !== 'scan') throw new ClientError(`unknown action ${action}: use list or scan <table>`);
        if (!table) throw new ClientError('scan needs a table: syncline tables scan <table>');
        const info = await client.get<AppInfo>('app');
        const name = info.tables.find((t) => t.name === table || t.id === table)?.name;
        if (!name) throw new ClientError(`no table ${table} (syncline tables list shows them)`);
        await scan(client, name, opts.limit, Boolean(opts.typed));
      }),
    );
}

function list(info: AppInfo): void {
  if (info.tables.length === 0) {
    process.stdout.write('no tables\n');
    return;
  }
  for (const t of info.tables) {
    const key = t.keySchema
      .map((k) => `${k.AttributeName} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`)
      .join(', ');
    const extras = [
      t.itemCount !== undefined ? `${t.itemCount} items` : undefined,
      t.indexes.length ? `indexes ${t.indexes.map((i) => i.name).join(', ')}` : undefined,
      t.streamViewType ? `stream ${t.streamViewType}` : undefined,
      t.ttlAttribute ? `TTL ${t.ttlAttribute}` : undefined,
    ].filter(Boolean);
    process.stdout.write(
      `${t.name}${t.id && t.id !== t.name ? ` (${t.id})` : ''}  key ${key}${extras.length ? `  ${extras.join('  ')}` : ''}\n`,
    );
  }
}

async function scan(
  client: ReturnType<typeof consoleClient>,
  table: string,
  limit: number | undefined,
  typed: boolean,
) {
  let printed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.post<{ Items: Item[]; LastEvaluatedKey?: Record<string, unknown> }>(
      'aws/dynamodb',
      {
        TableName: table,
        ...(start ? { ExclusiveStartKey: start } : {}),
        ...(limit ? { Limit: Math.min(limit - printed, 1000) } : {}),
      },
      { 'x-amz-target': 'DynamoDB_20120810.Scan' },
    );
    for (const item of page.Items) {
      process.stdout.write(`${JSON.stringify(typed ? item : fromItem(item))}\n`);
      printed++;
    }
    start = page.LastEvaluatedKey;
  } while (start && (limit === undefined || printed < limit));
}

// What IAM checks for a DynamoDB or DynamoDB Streams request: the actions and the resource ARNs, read from the
// request body before the operation runs. Bodies are untrusted and not yet validated, so nothing here throws and
// nothing indexes a plain object with a client string: a field that is missing or malformed gives the resource
// `*` (which only a statement with `Resource: "*"` allows), and the operation's own validation reports the error.
//
// A scope may list more resources than the operation touches; never fewer. Every resource must be allowed.
import { decodeIterator } from '../tables/streams/iterators.js';

export interface RequestScope {
  /** The IAM action, `dynamodb:<Action>`. */
  action: string;
  /** Resource ARNs the action is checked on; `*` for actions without a resource type or an unreadable one. */
  resources: string[];
}

const ANY = '*';
// DynamoDB's table and index names; anything else cannot name a table the engine would act on.
const NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const TABLE_ARN = /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/([a-zA-Z0-9_.-]{3,255})$/;
const BACKUP_ARN = /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}\/backup\/[a-zA-Z0-9-]{1,64}$/;
const EXPORT_ARN =
  /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}\/(export|import)\/[a-zA-Z0-9-]{1,64}$/;
// Longer than any ARN DynamoDB accepts; kept out of the matcher.
const MAX_ARN_LENGTH = 2048;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(body: unknown, name: string): unknown {
  return isRecord(body) && Object.hasOwn(body, name) ? body[name] : undefined;
}

class Scopes {
  private readonly byAction = new Map<string, Set<string>>();
  add(action: string, resource: string): void {
    let set = this.byAction.get(action);
    if (!set) this.byAction.set(action, (set = new Set()));
    set.add(resource);
  }
  list(fallbackAction: string): RequestScope[] {
    if (this.byAction.size === 0) return [{ action: fallbackAction, resources: [ANY] }];
    return [...this.byAction].map(([action, resources]) => ({ action, resources: [...resources] }));
  }
}

export function tableArn(region: string, accountId: string, name: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
}

/** `TableName` may be a name or (as DynamoDB now allows) the table's ARN. */
function tableResource(value: unknown, region: string, accountId: string): string {
  if (typeof value !== 'string') return ANY;
  if (NAME.test(value)) return tableArn(region, accountId, value);
  if (TABLE_ARN.test(value)) return value;
  return ANY;
}

function tableOrIndex(body: unknown, region: string, accountId: string): string {
  const table = tableResource(field(body, 'TableName'), region, accountId);
  const index = field(body, 'IndexName');
  if (index === undefined || index === null) return table;
  if (table === ANY || typeof index !== 'string' || !NAME.test(index)) return ANY;
  return `${table}/index/${index}`;
}

/**
 * `ResourceArn` of the tagging actions. A canonical table ARN is checked as given; anything else on `*` and, if
 * a table name can be read out of it, also on that table in this region and account, so that a lenient reading
 * further down can never reach a table the scope did not check.
 */
function resourceArn(value: unknown, region: string, accountId: string): string[] {
  if (typeof value !== 'string' || value.length > MAX_ARN_LENGTH) return [ANY];
  if (TABLE_ARN.test(value)) return [value];
  const name = value.split('/')[1];
  return name !== undefined && NAME.test(name) ? [ANY, tableArn(region, accountId, name)] : [ANY];
}

/** An ARN of a kind the pattern accepts, as given; anything else `*`. */
function arnResource(value: unknown, pattern: RegExp): string {
  return typeof value === 'string' && value.length <= MAX_ARN_LENGTH && pattern.test(value) ? value : ANY;
}

const TRANSACT_WRITE_ACTIONS: readonly (readonly [string, string])[] = [
  ['Put', 'dynamodb:PutItem'],
  ['Update', 'dynamodb:UpdateItem'],
  ['Delete', 'dynamodb:DeleteItem'],
  ['ConditionCheck', 'dynamodb:ConditionCheckItem'],
];

const PARTIQL_ACTIONS: readonly (readonly [string, string])[] = [
  ['SELECT', 'dynamodb:PartiQLSelect'],
  ['INSERT', 'dynamodb:PartiQLInsert'],
  ['UPDATE', 'dynamodb:PartiQLUpdate'],
  ['DELETE', 'dynamodb:PartiQLDelete'],
];

// Actions whose IAM resource type is none: checked on `*`.
const UNSCOPED = new Set([
  'ListTables',
  'DescribeLimits',
  'DescribeEndpoints',
  'ListBackups',
  'ListGlobalTables',
  'ListContributorInsights',
  'ListExports',
  'ListImports',
  'ListBulkOperations',
]);

/**
 * The scopes of one DynamoDB request (`operation` is the X-Amz-Target action, e.g. `GetItem`). Batch actions are
 * checked on every table they name; transactions on each item's own action (TransactWriteItems: PutItem,
 * UpdateItem, DeleteItem, ConditionCheckItem; TransactGetItems: GetItem), as IAM does. Never empty, never throws.
 */
export function dynamodbRequestScope(
  operation: string,
  body: unknown,
  region: string,
  accountId: string,
): RequestScope[] {
  const own = `dynamodb:${operation}`;
  const scopes = new Scopes();
  switch (operation) {
    // The hot single-table actions answer directly.
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: own, resources: [tableResource(field(body, 'TableName'), region, accountId)] }];
    case 'Query':
    case 'Scan':
    case 'SearchVectors':
      return [{ action: own, resources: [tableOrIndex(body, region, accountId)] }];
    case 'BatchGetItem':
    case 'BatchWriteItem': {
      const items = field(body, 'RequestItems');
      if (isRecord(items))
        for (const name of Object.keys(items)) scopes.add(own, tableResource(name, region, accountId));
      break;
    }
    case 'TransactGetItems': {
      const items = field(body, 'TransactItems');
      if (Array.isArray(items)) {
        for (const item of items) {
          const get = field(item, 'Get');
          if (get !== undefined)
            scopes.add('dynamodb:GetItem', tableResource(field(get, 'TableName'), region, accountId));
        }
      }
      break;
    }
    case 'TransactWriteItems': {
      const items = field(body, 'TransactItems');
      if (Array.isArray(items)) {
        for (const item of items) {
          for (const [key, action] of TRANSACT_WRITE_ACTIONS) {
            const inner = field(item, key);
            if (inner !== undefined) scopes.add(action, tableResource(field(inner, 'TableName'), region, accountId));
          }
        }
      }
      break;
    }
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsOfResource':
      for (const r of resourceArn(field(body, 'ResourceArn'), region, accountId)) scopes.add(own, r);
      break;
    // Backups are checked on the backup's ARN; a restore also on the table it creates (and PITR on its source).
    case 'DescribeBackup':
    case 'DeleteBackup':
      scopes.add(own, arnResource(field(body, 'BackupArn'), BACKUP_ARN));
      break;
    case 'RestoreTableFromBackup':
      scopes.add(own, arnResource(field(body, 'BackupArn'), BACKUP_ARN));
      scopes.add(own, tableResource(field(body, 'TargetTableName'), region, accountId));
      break;
    case 'RestoreTableToPointInTime': {
      const source = field(body, 'SourceTableArn') ?? field(body, 'SourceTableName');
      scopes.add(own, tableResource(source, region, accountId));
      scopes.add(own, tableResource(field(body, 'TargetTableName'), region, accountId));
      break;
    }
    case 'ExportTableToPointInTime':
      scopes.add(own, tableResource(field(body, 'TableArn'), region, accountId));
      break;
    case 'DescribeExport':
      scopes.add(own, arnResource(field(body, 'ExportArn'), EXPORT_ARN));
      break;
    case 'DescribeImport':
      scopes.add(own, arnResource(field(body, 'ImportArn'), EXPORT_ARN));
      break;
    case 'ImportTable':
      scopes.add(own, tableResource(field(field(body, 'TableCreationParameters'), 'TableName'), region, accountId));
      break;
    case 'DescribeContributorInsights':
    case 'UpdateContributorInsights':
      scopes.add(own, tableOrIndex(body, region, accountId));
      break;
    // Global tables (2017.11.29) are IAM resources of their own, without a region.
    case 'CreateGlobalTable':
    case 'DescribeGlobalTable':
    case 'DescribeGlobalTableSettings':
    case 'UpdateGlobalTable':
    case 'UpdateGlobalTableSettings': {
      const name = field(body, 'GlobalTableName');
      scopes.add(
        own,
        typeof name === 'string' && NAME.test(name) ? `arn:aws:dynamodb::${accountId}:global-table/${name}` : ANY,
      );
      break;
    }
    case 'ExecuteStatement':
      partiqlScope(field(body, 'Statement'), scopes, region, accountId);
      break;
    case 'BatchExecuteStatement':
    case 'ExecuteTransaction': {
      const list = field(body, operation === 'ExecuteTransaction' ? 'TransactStatements' : 'Statements');
      if (Array.isArray(list)) for (const s of list) partiqlScope(field(s, 'Statement'), scopes, region, accountId);
      break;
    }
    default:
      if (UNSCOPED.has(operation)) scopes.add(own, ANY);
      else if (field(body, 'TableName') !== undefined)
        scopes.add(own, tableResource(field(body, 'TableName'), region, accountId));
      else if (field(body, 'ResourceArn') !== undefined) {
        for (const r of resourceArn(field(body, 'ResourceArn'), region, accountId)) scopes.add(own, r);
      } else scopes.add(own, ANY);
  }
  return scopes.list(own);
}

// ---- PartiQL -------------------------------------------------------------------------------------------------

/** A PartiQL statement's verb and target (`"Table"` or `"Table"."Index"`), read without a full parser. */
function partiqlScope(statement: unknown, scopes: Scopes, region: string, accountId: string): void {
  if (typeof statement !== 'string') {
    scopes.add('dynamodb:PartiQLSelect', ANY);
    return;
  }
  let tokens = partiqlTokens(statement);
  // EXISTS(SELECT …), ExecuteTransaction's condition check, reads its item: checked as the SELECT inside.
  if (tokens[0]?.word === 'EXISTS' && tokens[1] && !tokens[1].word && !tokens[1].name && !tokens[1].dot)
    tokens = tokens.slice(2);
  const verb = tokens[0]?.word;
  const action = PARTIQL_ACTIONS.find(([v]) => v === verb)?.[1];
  if (!action) {
    // An unreadable statement is checked as every kind on every table; only `Resource: "*"` allows it.
    for (const [, a] of PARTIQL_ACTIONS) scopes.add(a, ANY);
    return;
  }
  // SELECT ... FROM t, DELETE FROM t, INSERT INTO t, UPDATE t.
  const after = verb === 'UPDATE' ? 0 : tokens.findIndex((t) => t.word === (verb === 'INSERT' ? 'INTO' : 'FROM'));
  const target = after >= 0 ? tokens[after + 1] : undefined;
  if (!target || target.name === undefined || !NAME.test(target.name)) {
    scopes.add(action, ANY);
    return;
  }
  const table = tableArn(region, accountId, target.name);
  const dot = tokens[after + 2];
  const index = dot?.dot ? tokens[after + 3] : undefined;
  if (dot?.dot && (index?.name === undefined || !NAME.test(index.name))) scopes.add(action, ANY);
  else scopes.add(action, index ? `${table}/index/${index.name}` : table);
}

interface PartiqlToken {
  /** An unquoted word, upper-cased. */
  word?: string;
  /** An identifier: a double-quoted one verbatim, or an unquoted word as written. */
  name?: string;
  dot?: true;
}

function partiqlTokens(text: string): PartiqlToken[] {
  const out: PartiqlToken[] = [];
  let i = 0;
  // Bounded: a statement longer than DynamoDB's 8 KB limit is refused by the operation anyway.
  const end = Math.min(text.length, 8192);
  while (i < end) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      let name = '';
      i++;
      while (i < end) {
        if (text[i] === '"' && text[i + 1] === '"') {
          name += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else name += text[i++];
      }
      i++;
      out.push({ name });
    } else if (c === "'") {
      // A string literal: skipped, so a FROM inside it is not taken for the keyword.
      i++;
      while (i < end && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1;
      i++;
      out.push({});
    } else if (c === '.') {
      out.push({ dot: true });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < end && /[A-Za-z0-9_]/.test(text[j])) j++;
      const word = text.slice(i, j);
      out.push({ word: word.toUpperCase(), name: word });
      i = j;
    } else {
      out.push({});
      i++;
    }
  }
  return out;
}

// ---- DynamoDB Streams ----------------------------------------------------------------------------------------

/** The stream ARN a shard iterator was issued for, as GetRecords will read it; undefined if it is not one. */
export function streamArnOfIterator(iterator: unknown): string | undefined {
  if (typeof iterator !== 'string' || iterator.length > MAX_ARN_LENGTH * 4) return undefined;
  try {
    return decodeIterator(iterator).streamArn;
  } catch {
    return undefined;
  }
}

function streamResource(value: unknown): string {
  return typeof value === 'string' && value.startsWith('arn:') && value.length <= MAX_ARN_LENGTH ? value : ANY;
}

/**
 * The scopes of one DynamoDB Streams request: DescribeStream and GetShardIterator on `StreamArn`, GetRecords on
 * the stream its iterator was issued for, ListStreams on `*`. Never empty, never throws.
 */
export function streamsRequestScope(operation: string, body: unknown): RequestScope[] {
  const action = `dynamodb:${operation}`;
  switch (operation) {
    case 'DescribeStream':
    case 'GetShardIterator':
      return [{ action, resources: [streamResource(field(body, 'StreamArn'))] }];
    case 'GetRecords':
      return [{ action, resources: [streamResource(streamArnOfIterator(field(body, 'ShardIterator')))] }];
    default:
      return [{ action, resources: [ANY] }];
  }
}

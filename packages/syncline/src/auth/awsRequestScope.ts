// STUB for the `iam-policy` branch, which owns this file: the lead takes that branch's version at merge. Which IAM
// action on which resources one DynamoDB or DynamoDB Streams request needs, as the door evaluates them.

export interface RequestScope {
  action: string;
  resources: string[];
}

const tableArn = (region: string, accountId: string, table: string) =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${table}`;

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

export function dynamodbRequestScope(
  operation: string,
  body: unknown,
  region: string,
  accountId: string,
): RequestScope[] {
  const arn = (table: string) => tableArn(region, accountId, table);
  const requestItems = field(body, 'RequestItems');
  if (
    (operation === 'BatchGetItem' || operation === 'BatchWriteItem') &&
    requestItems &&
    typeof requestItems === 'object'
  ) {
    return [{ action: `dynamodb:${operation}`, resources: Object.keys(requestItems).map(arn) }];
  }
  const transactItems = field(body, 'TransactItems');
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const scopes: RequestScope[] = [];
    const kinds: Record<string, string> = {
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      ConditionCheck: 'ConditionCheckItem',
      Get: 'GetItem',
    };
    for (const item of Array.isArray(transactItems) ? transactItems : []) {
      for (const [kind, action] of Object.entries(kinds)) {
        const table = field(field(item, kind), 'TableName');
        if (typeof table === 'string') scopes.push({ action: `dynamodb:${action}`, resources: [arn(table)] });
      }
    }
    return scopes.length ? scopes : [{ action: `dynamodb:${operation}`, resources: ['*'] }];
  }
  const table = field(body, 'TableName') ?? field(body, 'ResourceArn');
  if (typeof table === 'string') {
    return [{ action: `dynamodb:${operation}`, resources: [table.startsWith('arn:') ? table : arn(table)] }];
  }
  return [{ action: `dynamodb:${operation}`, resources: ['*'] }];
}

export function streamsRequestScope(
  operation: string,
  body: unknown,
  region: string,
  accountId: string,
): RequestScope[] {
  const stream = field(body, 'StreamArn');
  if (typeof stream === 'string') return [{ action: `dynamodb:${operation}`, resources: [stream] }];
  const iterator = field(body, 'ShardIterator');
  if (operation === 'GetRecords' && typeof iterator === 'string') {
    return [{ action: 'dynamodb:GetRecords', resources: [`arn:aws:dynamodb:${region}:${accountId}:table/*/stream/*`] }];
  }
  const table = field(body, 'TableName');
  if (typeof table === 'string') {
    return [{ action: `dynamodb:${operation}`, resources: [`${tableArn(region, accountId, table)}/stream/*`] }];
  }
  return [{ action: `dynamodb:${operation}`, resources: ['*'] }];
}

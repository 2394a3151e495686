// DynamoDB's JSON protocol through the console's proxy (`POST aws/dynamodb`, authorized as the operator): the
// body and answer are exactly the service's, errors are `{ __type, message }`.
import { apiUrl } from '../api.js';

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type Item = Record<string, AttributeValue>;

export class DynamoDbError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(`${errorType}: ${message}`);
  }
}

export async function dynamodb<T = Record<string, unknown>>(operation: string, body: unknown): Promise<T> {
  const target = operation.includes('.') ? operation : `DynamoDB_20120810.${operation}`;
  const response = await fetch(apiUrl('aws/dynamodb'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new DynamoDbError(`HTTP ${response.status}`, text);
  }
  if (!response.ok) {
    const errors = parsed.errors as { errorType?: string; message?: string }[] | undefined;
    const type = String(parsed.__type ?? errors?.[0]?.errorType ?? `HTTP ${response.status}`);
    throw new DynamoDbError(
      type.slice(type.lastIndexOf('#') + 1),
      String(parsed.message ?? parsed.Message ?? errors?.[0]?.message ?? ''),
    );
  }
  return parsed as T;
}

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface IndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
}

export interface TableDescription {
  TableName: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  ItemCount?: number;
  TableSizeBytes?: number;
  TableStatus?: string;
  BillingModeSummary?: { BillingMode: string };
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  LatestStreamArn?: string;
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
}

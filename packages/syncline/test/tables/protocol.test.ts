import { crc32 as zlibCrc32 } from 'node:zlib';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/tables/protocol.js';
import { awsError, type Harness, rawRequest, startHarness } from './harness.js';

describe('DynamoDB JSON 1.0 protocol', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers with the JSON 1.0 content type, a request id and a correct x-amz-crc32', async () => {
    const res = await rawRequest(h.endpoint, 'ListTables', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
    const body = JSON.stringify(res.json);
    expect(Number(res.headers.get('x-amz-crc32'))).toBe(zlibCrc32(Buffer.from(body)) >>> 0);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
  });

  it('the SDK accepts the responses (it verifies the checksum)', async () => {
    const out = await h.client.send(new ListTablesCommand({}));
    expect(out.TableNames).toEqual([]);
  });

  it('unknown actions are UnknownOperationException', async () => {
    const res = await rawRequest(h.endpoint, 'FlyToTheMoon', {});
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('com.amazon.coral.service#UnknownOperationException');
  });

  it('bad JSON is SerializationException, and wrong JSON kinds get Coral wording', async () => {
    const res = await rawRequest(h.endpoint, 'ListTables', '{not json');
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('com.amazon.coral.service#SerializationException');
    const kind = await rawRequest(h.endpoint, 'ListTables', { Limit: 'ten' });
    expect(kind.json).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
      message: 'STRING_VALUE cannot be converted to Integer',
    });
    const item = await rawRequest(h.endpoint, 'PutItem', { TableName: 'abc', Item: { a: { S: 5 } } });
    expect(item.json.__type).toBe('com.amazon.coral.service#SerializationException');
  });

  it('collects constraint violations into one ValidationException', async () => {
    const res = await rawRequest(h.endpoint, 'Query', { TableName: 'a', Limit: 0, Select: 'SOME' });
    expect(res.json).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message:
        "3 validation errors detected: Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value 'a' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });

  it('service errors use the DynamoDB namespace', async () => {
    const res = await rawRequest(h.endpoint, 'DescribeTable', { TableName: 'missing' });
    expect(res.json).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: 'Requested resource not found: Table: missing not found',
    });
    const e = await awsError(() => h.client.send(new ListTablesCommand({ ExclusiveStartTableName: 'x' })));
    expect(e.name).toBe('ValidationException');
  });
});

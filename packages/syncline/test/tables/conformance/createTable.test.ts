import { conformance, invalid } from './runner.js';

const keyed = (TableName: string, extra: Record<string, unknown> = {}) => ({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
});

conformance('CreateTable', [
  invalid(
    'a two-character table name is a length constraint',
    keyed('ab'),
    "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  ),
  invalid(
    'a missing table name',
    { ...keyed('x'), TableName: undefined },
    "The parameter 'TableName' is required but was not present in the request",
  ),
  invalid(
    'three key schema elements are quoted in Java form',
    keyed('ct_three', {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'ex', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
        { AttributeName: 'ex', KeyType: 'RANGE' },
      ],
    }),
    "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=ex, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
  ),
  invalid(
    'an unknown KeyType',
    keyed('ct_bad', { KeySchema: [{ AttributeName: 'pk', KeyType: 'INVALID' }] }),
    "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
  ),
  invalid(
    'an unknown AttributeType',
    keyed('ct_bad', { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'INVALID' }] }),
    "1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
  ),
  invalid(
    'the same attribute as HASH and RANGE',
    keyed('ct_dup', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'pk', KeyType: 'RANGE' },
      ],
    }),
    'Invalid KeySchema: Some index key attribute have no definition',
  ),
  invalid(
    'a key attribute name over 255 characters',
    keyed('ct_long', {
      AttributeDefinitions: [{ AttributeName: 'k'.repeat(256), AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'k'.repeat(256), KeyType: 'HASH' }],
    }),
    `2 validation errors detected: Value '${'k'.repeat(256)}' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255; Value '${'k'.repeat(256)}' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255`,
  ),
  invalid(
    'an attribute defined twice (even with two types)',
    keyed('ct_twice', {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'pk', AttributeType: 'N' },
      ],
    }),
    'Attribute Name is duplicated: pk',
  ),
  invalid(
    'a GSI key attribute defined with two types',
    keyed('ct_gsi_types', {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
    'Attribute Name is duplicated: g',
  ),
  invalid(
    'a NonKeyAttributes entry repeated',
    keyed('ct_nka', {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b', 'a'] },
        },
      ],
    }),
    'One or more parameter values were invalid: Duplicate element in NonKeyAttributes: a',
  ),
  invalid(
    'a stream enabled without a view type',
    keyed('ct_stream', { StreamSpecification: { StreamEnabled: true } }),
    'One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required',
  ),
  invalid(
    'a stream disabled with a view type',
    keyed('ct_stream', { StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } }),
    'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified',
  ),
  invalid(
    'a tag key with a forbidden character',
    keyed('ct_tags', { Tags: [{ Key: 'a{b', Value: 'v' }] }),
    'The Tag Key provided is invalid, Key: a{b',
  ),
  invalid(
    'more than 50 tags',
    keyed('ct_tags', { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }),
    'Number of Tags exceed the current limit for the provided ResourceArn',
  ),
]);

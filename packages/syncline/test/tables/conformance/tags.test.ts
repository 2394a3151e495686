import { expect } from 'vitest';
import { conformance, invalid, TABLES } from './runner.js';

const ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLES.hash}`;
const tag = (ResourceArn: string) => ({ ResourceArn, Tags: [{ Key: 'env', Value: 'test' }] });

conformance('TagResource', [
  invalid(
    'a string that is not an ARN',
    tag('not-a-valid-arn'),
    "One or more parameter values were invalid: ARNs must start with 'arn:': not-a-valid-arn",
  ),
  invalid(
    'an ARN of another service',
    tag('arn:aws:s3:::bucket/key'),
    'One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket/key',
  ),
  invalid(
    'an index ARN',
    tag(`${ARN}/index/byG`),
    `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${ARN}/index/byG`,
  ),
  invalid(
    'a table ARN of another region',
    tag('arn:aws:dynamodb:eu-west-1:123456789012:table/x1x'),
    'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:123456789012:table/x1x',
  ),
  invalid(
    'more than 50 tags',
    { ResourceArn: ARN, Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
    'Number of Tags exceed the current limit for the provided ResourceArn',
  ),
  invalid(
    'a tag key with a forbidden character',
    { ResourceArn: ARN, Tags: [{ Key: 'a{', Value: 'v' }] },
    'The Tag Key provided is invalid, Key: a{',
  ),
  invalid(
    'a tag value with a forbidden character',
    { ResourceArn: ARN, Tags: [{ Key: 'a', Value: 'v}' }] },
    'The Tag Value provided is invalid, Value: v}',
  ),
  invalid(
    'a reserved aws: prefix',
    { ResourceArn: ARN, Tags: [{ Key: 'aws:x', Value: 'v' }] },
    'Tag Key cannot be prefixed with aws:, Key: aws:x',
  ),
  invalid(
    'a key given twice',
    {
      ResourceArn: ARN,
      Tags: [
        { Key: 'k', Value: '1' },
        { Key: 'k', Value: '2' },
      ],
    },
    'Duplicate Tag Keys provided as input: Duplicate Tag Key found k',
  ),
  {
    name: 'letters of any script, spaces and + - = . _ : / @ are allowed',
    input: { ResourceArn: ARN, Tags: [{ Key: 'Été clé +-=._:/@', Value: 'värde 1' }] },
  },
  invalid('an empty tag list', { ResourceArn: ARN, Tags: [] }, 'Atleast one Tag needs to be provided as Input.'),
  {
    name: 'a table in another account is not this caller’s to tag',
    input: tag('arn:aws:dynamodb:us-east-1:000000000000:table/elsewhere'),
    error: 'AccessDeniedException',
    message:
      'User: arn:aws:iam::123456789012:user/syncline is not authorized to perform: dynamodb:TagResource on resource: arn:aws:dynamodb:us-east-1:000000000000:table/elsewhere',
  },
  {
    name: 'ListTagsOfResource on a well-formed ARN of another account',
    action: 'ListTagsOfResource',
    input: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz' },
    error: 'AccessDeniedException',
  },
  {
    name: 'ListTagsOfResource on a missing table of this account',
    action: 'ListTagsOfResource',
    input: { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/nonexistent_table_xyz' },
    error: 'ResourceNotFoundException',
    message:
      'Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:123456789012:table/nonexistent_table_xyz not found',
  },
  {
    name: 'tags round-trip, a repeated key replacing its value',
    before: [['TagResource', { ResourceArn: ARN, Tags: [{ Key: 'env', Value: 'a' }] }]],
    input: { ResourceArn: ARN, Tags: [{ Key: 'env', Value: 'b' }] },
    output: async (_, h) => {
      const { send } = await import('./runner.js');
      const out = await send(h, 'ListTagsOfResource', { ResourceArn: ARN });
      expect(out.Tags.filter((t: { Key: string }) => t.Key === 'env')).toEqual([{ Key: 'env', Value: 'b' }]);
    },
  },
]);

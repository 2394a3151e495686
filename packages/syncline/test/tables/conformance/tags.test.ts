import { expect } from 'vitest';
import { conformance, invalid, TABLES } from './runner.js';

const ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLES.hash}`;
const tag = (ResourceArn: string) => ({ ResourceArn, Tags: [{ Key: 'env', Value: 'test' }] });

conformance('TagResource', [
  invalid(
    'a malformed ARN',
    tag('not-a-valid-arn'),
    'Invalid TableArn: Invalid ResourceArn provided as input not-a-valid-arn',
  ),
  invalid(
    'an ARN that is not a table',
    tag('arn:aws:dynamodb:us-east-1:123456789012:stream/x'),
    'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:123456789012:stream/x',
  ),
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
      expect(out.Tags).toEqual([{ Key: 'env', Value: 'b' }]);
    },
  },
]);

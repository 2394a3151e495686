import { expect } from 'vitest';
import { conformance, invalid, send, TABLES } from './runner.js';

const T = TABLES.hash;
const ttl = (AttributeName: string, Enabled: boolean) => ({
  TableName: T,
  TimeToLiveSpecification: { AttributeName, Enabled },
});

conformance('UpdateTimeToLive', [
  invalid('disabling when it is not enabled', ttl('expires', false), 'TimeToLive is already disabled'),
  {
    name: 'enabling',
    input: ttl('expires', true),
    output: async (out, h) => {
      expect(out.TimeToLiveSpecification).toEqual({ AttributeName: 'expires', Enabled: true });
      const d = await send(h, 'DescribeTimeToLive', { TableName: T });
      expect(d.TimeToLiveDescription).toEqual({ AttributeName: 'expires', TimeToLiveStatus: 'ENABLED' });
    },
  },
  invalid('enabling it again', ttl('expires', true), 'TimeToLive is already enabled'),
  invalid(
    'enabling it on another attribute',
    ttl('other', true),
    'TimeToLive is active on a different AttributeName: current AttributeName is expires',
  ),
  invalid(
    'disabling it on another attribute',
    ttl('other', false),
    'TimeToLive is active on a different AttributeName: current AttributeName is expires',
  ),
  {
    name: 'an unknown table',
    input: { TableName: 'ttl_nowhere', TimeToLiveSpecification: { AttributeName: 'x', Enabled: true } },
    error: 'ResourceNotFoundException',
  },
]);

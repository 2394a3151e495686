// The docs must not call unsupported what the app loader accepts. Each capability below names the phrases that
// identify it and a fixture app that uses it; the fixture must load, and no sentence of docs/*.md or README.md
// may pair one of those phrases with "not supported", "unsupported", "not implemented" or "not yet".
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/load.js';
import type { AppModel } from '../../src/app/model.js';
import { fixtureApp } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

interface Capability {
  name: string;
  phrases: RegExp;
  fixture: string;
  /** What in the loaded app shows the capability is there. */
  present: (app: AppModel) => boolean;
}

const CAPABILITIES: Capability[] = [
  {
    name: 'TTL',
    phrases: /\bTTL\b|time to live/i,
    fixture: 'streams-functions',
    present: (app) => Object.values(app.tables).some((t) => JSON.stringify(t).includes('expiresAt')),
  },
  {
    name: 'table streams',
    phrases: /\bstreams?\b(?! already)/i,
    fixture: 'streams-functions',
    present: (app) => Object.values(app.functions).some((f) => f.events.some((e) => e.type === 'stream')),
  },
  {
    name: 'DynamoDB data sources',
    phrases: /AMAZON_DYNAMODB|DynamoDB data sources?/i,
    fixture: 'orders-ddb',
    present: (app) => JSON.stringify(app.graphql?.dataSources ?? {}).includes('AMAZON_DYNAMODB'),
  },
  {
    name: 'Lambda data sources',
    phrases: /AWS_LAMBDA data|Lambda data sources?/i,
    fixture: 'functions-graphql',
    present: (app) => JSON.stringify(app.graphql?.dataSources ?? {}).includes('AWS_LAMBDA'),
  },
  {
    name: 'IAM auth',
    phrases: /\bAWS_IAM\b|IAM auth/i,
    fixture: 'auth-iam',
    present: (app) => JSON.stringify(app.graphql ?? {}).includes('AWS_IAM'),
  },
  {
    name: 'user pool and OIDC auth',
    phrases: /AMAZON_COGNITO_USER_POOLS|OPENID_CONNECT|user pools? auth|OIDC auth/i,
    fixture: 'auth-local',
    present: (app) => /AMAZON_COGNITO_USER_POOLS|OPENID_CONNECT/.test(JSON.stringify(app.graphql ?? {})),
  },
  {
    name: 'Lambda authorizers',
    phrases: /Lambda authori[sz]er/i,
    fixture: 'auth-lambda',
    present: (app) => JSON.stringify(app.graphql ?? {}).includes('AWS_LAMBDA'),
  },
  {
    name: 'auth modes',
    phrases: /\bauth(entication)? modes?\b/i,
    fixture: 'auth-iam',
    present: (app) => app.graphql !== undefined,
  },
  {
    name: 'schedules',
    phrases: /\bschedules?\b|\bcron\(|\brate\(/i,
    fixture: 'functions-schedule',
    present: (app) => Object.values(app.functions).some((f) => f.events.some((e) => e.type === 'schedule')),
  },
  {
    name: 'HTTP routes',
    phrases: /HTTP (API )?routes?/i,
    fixture: 'functions',
    present: (app) => Object.values(app.functions).some((f) => f.events.some((e) => e.type === 'http')),
  },
];

const NEGATIVE = /not supported|unsupported|not implemented|not yet\b/i;

/** Sentences and list items and table cells: what one claim is made in. */
export function clauses(markdown: string): string[] {
  return markdown
    .split(/(?<=[.;!?])\s+|\n\s*\n|\n\s*[-*]\s|\s\|\s|\n#+\s/)
    .map((c) => c.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** The clauses of `markdown` that call one of the capabilities unsupported. */
export function falseClaims(markdown: string, capabilities = CAPABILITIES): { capability: string; clause: string }[] {
  const found: { capability: string; clause: string }[] = [];
  for (const clause of clauses(markdown)) {
    if (!NEGATIVE.test(clause)) continue;
    for (const c of capabilities) if (c.phrases.test(clause)) found.push({ capability: c.name, clause });
  }
  return found;
}

const pages = [
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
  'README.md',
];

describe('docs claims', () => {
  it.each(CAPABILITIES.map((c) => [c.name, c] as const))('%s loads', async (_name, capability) => {
    const app = await loadApp(fixtureApp(capability.fixture), { data: ':memory:' });
    expect(capability.present(app)).toBe(true);
  });

  it.each(pages)('%s calls nothing that loads unsupported', (page) => {
    expect(falseClaims(readFileSync(join(ROOT, page), 'utf8'))).toEqual([]);
  });

  it('catches such a sentence', () => {
    expect(falseClaims('Tables work. TTL is not supported yet; streams neither.')).toEqual([
      { capability: 'TTL', clause: 'TTL is not supported yet;' },
    ]);
    expect(falseClaims('- Auth modes other than API_KEY: not supported yet')).toHaveLength(1);
    expect(falseClaims('| `UnsupportedOperation` | a query sent in `start` |')).toEqual([]);
  });
});

// What `syncline start` and `dev` give an operator: /metrics access, the access log, log formats.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupCli, eventually, runCli } from '../helpers/cli.js';
import { fixtureApp } from '../helpers/server.js';

afterEach(cleanupCli);

const ready = async (p: ReturnType<typeof runCli>) =>
  JSON.parse(await p.line()) as { http: string; graphql: string; apiKey: string };

describe('/metrics from the command line', { timeout: 60_000 }, () => {
  it('start keeps it for operators; --metrics open serves it', async () => {
    const closed = await ready(runCli(['start', fixtureApp('basic'), '--port', '0', '--data', ':memory:', '--json']));
    expect((await fetch(`${closed.http}/metrics`)).status).toBe(403);
    const open = await ready(
      runCli(['start', fixtureApp('basic'), '--port', '0', '--data', ':memory:', '--json', '--metrics', 'open']),
    );
    const res = await fetch(`${open.http}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('syncline_up 1');
  });

  it('dev serves it', async () => {
    const dev = await ready(runCli(['dev', fixtureApp('basic'), '--port', '0', '--data', ':memory:', '--json']));
    expect((await fetch(`${dev.http}/metrics`)).status).toBe(200);
  });
});

describe('access log', { timeout: 60_000 }, () => {
  const accessLines = (err: string) =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((l) => l.access === true);

  it('start logs one info line per request: API, operation, status, duration, caller, ids', async () => {
    const p = runCli(['start', fixtureApp('trace'), '--port', '0', '--data', ':memory:', '--json']);
    const { graphql } = await ready(p);
    const res = await fetch(graphql, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'da2-tracefixturekey00000000',
        'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793',
      },
      body: JSON.stringify({ query: 'query Mine { trace }', operationName: 'Mine' }),
    });
    expect(res.status).toBe(200);
    const lines = await eventually(
      () => accessLines(p.output().err),
      (l) => l.length > 0,
      30_000,
    );
    expect(lines[0]).toMatchObject({
      level: 30,
      api: 'graphql',
      operation: 'query trace',
      operationName: 'Mine',
      status: 200,
      caller: 'API_KEY',
      requestId: res.headers.get('x-amzn-requestid'),
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(lines[0].durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('da2-tracefixturekey');
  });

  it('--access-log off logs none', async () => {
    const p = runCli([
      'start',
      fixtureApp('trace'),
      '--port',
      '0',
      '--data',
      ':memory:',
      '--json',
      '--access-log',
      'off',
    ]);
    const { graphql } = await ready(p);
    await fetch(graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'da2-tracefixturekey00000000' },
      body: JSON.stringify({ query: '{ trace }' }),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(accessLines(p.output().err)).toEqual([]);
  });
});

describe('--log-format', { timeout: 60_000 }, () => {
  // Without --json the banner is on stdout, then the log lines.
  const logLines = async (format: string[]) => {
    const p = runCli([
      'dev',
      fixtureApp('trace'),
      '--port',
      '0',
      '--data',
      ':memory:',
      '--access-log',
      'on',
      ...format,
    ]);
    const url = await eventually(
      () => /GraphQL\s+(\S+)/.exec(p.output().out)?.[1],
      (u) => u !== undefined,
      30_000,
    );
    await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'da2-tracefixturekey00000000' },
      body: JSON.stringify({ query: '{ trace }' }),
    });
    const out = await eventually(
      () => p.output().out,
      (o) => o.includes('query trace'),
      30_000,
    );
    return out.split('\n').filter((l) => l.includes('query trace'));
  };

  it('json: one JSON object per line, also the default when stdout is not a terminal', async () => {
    for (const flags of [['--log-format', 'json'], []]) {
      const [line] = await logLines(flags);
      expect(JSON.parse(line)).toMatchObject({ level: 30, api: 'graphql', operation: 'query trace', status: 200 });
    }
  });

  it('pretty: one readable line per event', async () => {
    const lines = await logLines(['--log-format', 'pretty']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/^\{/);
    expect(lines[0]).toMatch(/INFO/);
    expect(lines[0]).toContain('graphql query trace 200');
  });

  it('refuses an unknown format', async () => {
    const p = runCli(['dev', fixtureApp('trace'), '--log-format', 'xml']);
    expect(await p.exit).not.toBe(0);
    expect(p.output().err).toContain('pretty, json');
  });
});

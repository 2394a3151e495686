// What `syncline start` and `dev` give an operator: /metrics access, the access log, log formats.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupCli, runCli } from '../helpers/cli.js';
import { fixtureApp } from '../helpers/server.js';

afterEach(cleanupCli);

const ready = async (p: ReturnType<typeof runCli>) => JSON.parse(await p.line()) as { http: string; graphql: string; apiKey: string };

describe('/metrics from the command line', () => {
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

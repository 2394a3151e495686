// A throwaway app whose Query fields each run one resolver written for a test: the hostile resolver author's view.
// Every field takes `a: AWSJSON` and `s: String` and returns AWSJSON, so a resolver can send back anything.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ServerOptions, type SynclineServer } from '../../src/index.js';

/** A resolver body per field name: the text of a file exporting `request` and `response`. */
export type Resolvers = Record<string, string>;

/** `request` returns `{ payload: <expr> }`; `response` returns `ctx.result` as JSON. */
export const returning = (
  setup: string,
  expr: string,
) => `import { util, runtime, extensions } from '@aws-appsync/utils';
export function request(ctx) {
  ${setup}
  return { payload: ${expr} };
}
export function response(ctx) {
  return JSON.stringify(ctx.result);
}
`;

export interface HostileApp {
  server: SynclineServer;
  close(): Promise<void>;
}

export async function startHostileApp(
  resolvers: Resolvers,
  options: Partial<ServerOptions> = {},
  dataSources: Record<string, unknown> = {},
  tables: Record<string, unknown> = {},
): Promise<HostileApp> {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-hostile-'));
  mkdirSync(join(dir, 'resolvers'));
  const fields = Object.keys(resolvers);
  writeFileSync(
    join(dir, 'schema.graphql'),
    `type Query {\n  hello: String\n${fields.map((f) => `  ${f}(a: AWSJSON, s: String, i: Input): AWSJSON`).join('\n')}\n}\ninput Input {\n  name: String\n  nested: Input\n}\n`,
  );
  writeFileSync(
    join(dir, 'resolvers', 'hello.js'),
    `export function request() { return { payload: 'Hello, world!' }; }\nexport function response(ctx) { return ctx.result; }\n`,
  );
  const config: Record<string, unknown> = {};
  for (const f of fields) {
    writeFileSync(join(dir, 'resolvers', `${f}.js`), resolvers[f]);
    const ds = dataSources[f] ? `ds_${f}` : 'none';
    config[`Query.${f}`] = { dataSource: ds, code: `resolvers/${f}.js` };
  }
  const sources: Record<string, unknown> = { none: { type: 'NONE' } };
  for (const [f, spec] of Object.entries(dataSources)) sources[`ds_${f}`] = spec;
  writeFileSync(
    join(dir, 'syncline.config.json'),
    JSON.stringify({
      name: 'hostile',
      tables,
      graphql: {
        schema: 'schema.graphql',
        authentication: { type: 'API_KEY' },
        apiKeys: [{ name: 'test', value: 'da2-hostilefixturekey000000' }],
        dataSources: sources,
        resolvers: { 'Query.hello': { dataSource: 'none', code: 'resolvers/hello.js' }, ...config },
      },
    }),
  );
  const server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent', ...options });
  return {
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function ask(server: SynclineServer, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Runs field `f` with `a` (any JSON, sent as AWSJSON) and returns the parsed field value and errors. */
export async function probe(server: SynclineServer, f: string, a: unknown = null) {
  const { status, body } = await ask(server, `query Q($a: AWSJSON) { ${f}(a: $a) }`, {
    a: a === null ? null : JSON.stringify(a),
  });
  const raw = body.data?.[f];
  return { status, value: typeof raw === 'string' ? JSON.parse(raw) : raw, errors: body.errors, body };
}

/** The server still answers an ordinary query: what every hostile request must leave behind. */
export async function stillServing(server: SynclineServer): Promise<unknown> {
  return (await ask(server, '{ hello }')).body;
}

// Variables of recursive input types (Amplify's `ModelXFilterInput` holds itself in `and`, `or` and `not`):
// graphql-jit never finishes compiling them (graphql-jit#81), so those operations run on graphql-js.
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Executor } from '../../src/graphql/executor.js';
import { newRequestContext } from '../../src/graphql/requestContext.js';

const schema = buildSchema(`
  input StringFilter { eq: String beginsWith: String }
  input Filter { name: StringFilter and: [Filter] or: [Filter] not: Filter }
  type Query { echo(filter: Filter): String plain(name: StringFilter): String }
`);
const fields = schema.getQueryType()!.getFields();
fields.echo.resolve = (_source, args) => JSON.stringify(args.filter ?? null);
fields.plain.resolve = (_source, args) => JSON.stringify(args.name ?? null);

const context = () => newRequestContext('req', { mode: 'API_KEY', identity: null }, {});

describe('variables of recursive input types', () => {
  const executor = new Executor(schema);
  const run = async (query: string, variables: Record<string, unknown>) => {
    const prepared = executor.prepare(query);
    if ('errors' in prepared) throw new Error(JSON.stringify(prepared.errors));
    return executor.execute(prepared, variables, context());
  };

  it('coerces a nested filter variable and runs the operation', async () => {
    const filter = { or: [{ name: { eq: 'a' } }, { not: { name: { beginsWith: 'b' } } }], and: [] };
    const r = await run('query($f: Filter) { echo(filter: $f) }', { f: filter });
    expect(JSON.parse(String(r.data?.echo))).toEqual(filter);
    expect(await run('query($f: Filter) { echo(filter: $f) }', {})).toEqual({ data: { echo: 'null' } });
  });

  it('refuses an unknown field with the same error shape as other variables', async () => {
    const recursive = await run('query($f: Filter) { echo(filter: $f) }', { f: { nme: { eq: 'a' } } });
    const plain = await run('query($n: StringFilter) { plain(name: $n) }', { n: { eqq: 'a' } });
    for (const r of [recursive, plain]) {
      expect(r.data).toBeNull();
      expect(r.errors).toEqual([
        expect.objectContaining({
          path: null,
          errorType: null,
          message: expect.stringMatching(/is not defined by type/),
        }),
      ]);
    }
  });
});

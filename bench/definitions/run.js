// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the generated definitions use `${...}` references.
// How long reading an app definition takes, for a 50-resolver app written as serverless.yml and as
// syncline.config.ts (issue 19 asks under 300 ms). Measures loadApp alone: parse, variables, intrinsics,
// checks, model; not the resolver bundling or the server start. Usage: node bench/definitions/run.js
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../../packages/syncline/dist/app/load.js';
import { machine, median } from '../lib/stats.js';

const RESOLVERS = 50;
const FUNCTIONS = 10;

function writeApp(dir, format) {
  mkdirSync(join(dir, 'resolvers'));
  mkdirSync(join(dir, 'handlers'));
  const fields = Array.from({ length: RESOLVERS }, (_, i) => `  field${i}(id: ID!): Item`).join('\n');
  writeFileSync(join(dir, 'schema.graphql'), `type Item { id: ID! name: String }\ntype Query {\n${fields}\n}\n`);
  for (let i = 0; i < RESOLVERS; i++) {
    writeFileSync(
      join(dir, 'resolvers', `r${i}.js`),
      'export const request = (ctx) => ({}); export const response = (ctx) => ctx.result;\n',
    );
  }
  for (let i = 0; i < FUNCTIONS; i++)
    writeFileSync(join(dir, 'handlers', `f${i}.mjs`), 'export const handler = async () => ({});\n');
  if (format === 'serverless') {
    const functions = Array.from(
      { length: FUNCTIONS },
      (_, i) =>
        `  f${i}:\n    handler: handlers/f${i}.handler\n    environment:\n      TABLE: !Ref Table${i % 3}\n      URL: !GetAtt GraphQlApi.GraphQLUrl\n    events:\n      - httpApi: GET /f${i}\n`,
    ).join('');
    const resolvers = Array.from(
      { length: RESOLVERS },
      (_, i) =>
        `    Query.field${i}:\n      kind: UNIT\n      dataSource: ${i % 2 ? 'none' : `table${i % 3}`}\n      code: resolvers/r${i}.js\n`,
    ).join('');
    const tables = [0, 1, 2]
      .map(
        (i) =>
          `    Table${i}:\n      Type: AWS::DynamoDB::Table\n      Properties:\n        TableName: \${self:service}-t${i}-\${sls:stage}\n        AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n        KeySchema: [{AttributeName: id, KeyType: HASH}]\n        StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}\n`,
      )
      .join('');
    const dataSources = [0, 1, 2]
      .map((i) => `    table${i}:\n      type: AMAZON_DYNAMODB\n      config:\n        tableName: !Ref Table${i}\n`)
      .join('');
    writeFileSync(
      join(dir, 'serverless.yml'),
      `service: bench\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  stage: \${opt:stage, 'dev'}\nfunctions:\n${functions}appSync:\n  name: bench\n  authentication:\n    type: API_KEY\n  dataSources:\n    none:\n      type: NONE\n${dataSources}  resolvers:\n${resolvers}resources:\n  Resources:\n${tables}`,
    );
  } else {
    const config = {
      name: 'bench',
      tables: Object.fromEntries(
        [0, 1, 2].map((i) => [
          `Table${i}`,
          { name: `bench-t${i}-dev`, partitionKey: 'id', stream: 'NEW_AND_OLD_IMAGES' },
        ]),
      ),
      functions: Object.fromEntries(
        Array.from({ length: FUNCTIONS }, (_, i) => [
          `f${i}`,
          {
            handler: `handlers/f${i}.handler`,
            environment: { TABLE: `\${tables.Table${i % 3}.name}`, URL: '${graphql.url}' },
            events: [{ http: `GET /f${i}` }],
          },
        ]),
      ),
      graphql: {
        authentication: { type: 'API_KEY' },
        dataSources: {
          none: { type: 'NONE' },
          ...Object.fromEntries(
            [0, 1, 2].map((i) => [`table${i}`, { type: 'AMAZON_DYNAMODB', config: { tableName: `Table${i}` } }]),
          ),
        },
        resolvers: Object.fromEntries(
          Array.from({ length: RESOLVERS }, (_, i) => [
            `Query.field${i}`,
            { dataSource: i % 2 ? 'none' : `table${i % 3}`, code: `resolvers/r${i}.js` },
          ]),
        ),
      },
    };
    writeFileSync(join(dir, 'syncline.config.ts'), `export default ${JSON.stringify(config, null, 2)};\n`);
  }
}

const rows = [];
for (const format of ['serverless', 'syncline.config']) {
  const dir = mkdtempSync(join(tmpdir(), `syncline-bench-${format}-`));
  try {
    writeApp(dir, format);
    const times = [];
    for (let i = 0; i < 21; i++) {
      const start = performance.now();
      const app = await loadApp(dir, { data: ':memory:' });
      times.push(performance.now() - start);
      if (app.graphql.resolvers.length !== RESOLVERS)
        throw new Error(`${format}: ${app.graphql.resolvers.length} resolvers`);
    }
    rows.push({ format, first: times[0], median: median(times.slice(1)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`Loading a ${RESOLVERS}-resolver, ${FUNCTIONS}-function, 3-table app definition (${machine()})`);
for (const r of rows) {
  console.log(
    `  ${r.format.padEnd(16)} first ${r.first.toFixed(1).padStart(6)} ms   median of 20 after ${r.median.toFixed(1).padStart(6)} ms`,
  );
}

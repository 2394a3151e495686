// A RELATIONAL_DATABASE data source written as the serverless-appsync-plugin and CloudFormation write it loads into
// the same model as syncline.config's (the database itself comes from SYNCLINE_RDS_<NAME>_URL at run time).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../../src/app/index.js';
import { fixtureApp } from '../../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function variant(fixture: string, file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-rds-load-'));
  dirs.push(dir);
  cpSync(fixtureApp(fixture), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

describe('RELATIONAL_DATABASE in app definitions', () => {
  it('serverless.yml: the plugin config maps to the model; the service role and a cluster of the stack are left out', async () => {
    const dir = variant('serverless-orders', 'serverless.yml', (y) =>
      y
        .replace(
          '  dataSources:\n',
          `  dataSources:
    books:
      type: RELATIONAL_DATABASE
      config:
        databaseName: shop
        dbClusterIdentifier: !Ref AuroraCluster
        awsSecretStoreArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-x1
        serviceRoleArn: arn:aws:iam::123456789012:role/appsync
`,
        )
        .replace(
          '  Resources:\n',
          '  Resources:\n    AuroraCluster:\n      Type: AWS::RDS::DBCluster\n      Properties:\n        Engine: aurora-mysql\n',
        ),
    );
    const app = await loadApp(dir, { data: ':memory:', env: {} });
    expect(app.graphql?.dataSources.books).toEqual({
      name: 'books',
      type: 'RELATIONAL_DATABASE',
      config: {
        databaseName: 'shop',
        awsSecretStoreArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-x1',
      },
    });
  });

  it('serverless.yml: a key the plugin does not have is refused', async () => {
    const dir = variant('serverless-orders', 'serverless.yml', (y) =>
      y.replace(
        '  dataSources:\n',
        '  dataSources:\n    books:\n      type: RELATIONAL_DATABASE\n      config:\n        cluster: x\n',
      ),
    );
    await expect(loadApp(dir, { data: ':memory:', env: {} })).rejects.toThrow(
      /appSync\.dataSources\.books\.config\.cluster: not a RELATIONAL_DATABASE data source setting/,
    );
  });

  it('CloudFormation: RelationalDatabaseConfig.RdsHttpEndpointConfig maps to the model; a cluster and secret of the template do not stop the load', async () => {
    const dir = variant('sam-orders', 'template.yaml', (y) =>
      y.replace(
        '  GetOrderFunction:\n',
        `  BooksDataSource:
    Type: AWS::AppSync::DataSource
    Properties:
      ApiId: !GetAtt OrdersApi.ApiId
      Name: books
      Type: RELATIONAL_DATABASE
      RelationalDatabaseConfig:
        RelationalDatabaseSourceType: RDS_HTTP_ENDPOINT
        RdsHttpEndpointConfig:
          AwsRegion: us-east-1
          DatabaseName: shop
          DbClusterIdentifier: !GetAtt ShopCluster.DBClusterArn
          AwsSecretStoreArn: !Ref ShopSecret

  ShopCluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      EnableHttpEndpoint: true

  ShopSecret:
    Type: AWS::SecretsManager::Secret

  GetOrderFunction:
`,
      ),
    );
    const app = await loadApp(dir, { data: ':memory:' });
    expect(app.graphql?.dataSources.books).toEqual({
      name: 'books',
      type: 'RELATIONAL_DATABASE',
      config: {
        region: 'us-east-1',
        databaseName: 'shop',
      },
    });
  });
});

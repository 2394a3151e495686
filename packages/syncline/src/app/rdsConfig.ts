// The config of a RELATIONAL_DATABASE data source in the app model: AppSync's RdsHttpEndpointConfig in
// syncline.config's words, plus where the database really is on this machine (`connectionUrl`, or the environment:
// see datasources/rds.ts) and the size of its connection pool. The loaders of serverless.yml and CloudFormation map
// their shapes onto these keys.

/** AppSync's keys (RdsHttpEndpointConfig, as the serverless-appsync-plugin spells them): they name AWS resources. */
export const RDS_AWS_KEYS = ['databaseName', 'dbClusterIdentifier', 'awsSecretStoreArn', 'schema', 'region'] as const;
const STRING_KEYS = [...RDS_AWS_KEYS, 'connectionUrl'] as const;
export const RDS_CONFIG_KEYS = [...STRING_KEYS, 'maxConnections'] as const;
/** Pool size bounds: every data source holds its own pool, and a database allows a limited number of connections. */
export const MAX_CONNECTIONS_LIMIT = 100;

/** Calls `fail(key, problem)` for the first key that is wrong. */
export function checkRdsConfig(config: Record<string, unknown>, fail: (key: string, problem: string) => never): void {
  for (const key of Object.keys(config)) {
    if (!(RDS_CONFIG_KEYS as readonly string[]).includes(key)) {
      fail(key, `is not a RELATIONAL_DATABASE config key; use ${RDS_CONFIG_KEYS.join(', ')}`);
    }
  }
  for (const key of STRING_KEYS) {
    if (config[key] !== undefined && typeof config[key] !== 'string') fail(key, 'must be a string');
  }
  const url = config.connectionUrl as string | undefined;
  if (url !== undefined && !/^(postgres|postgresql|mysql|mariadb):\/\//.test(url)) {
    fail('connectionUrl', 'must be a postgres://, postgresql://, mysql:// or mariadb:// URL');
  }
  const max = config.maxConnections;
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > MAX_CONNECTIONS_LIMIT)) {
    fail('maxConnections', `must be an integer from 1 to ${MAX_CONNECTIONS_LIMIT}`);
  }
}

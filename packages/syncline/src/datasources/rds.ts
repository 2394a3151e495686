// AppSync's RELATIONAL_DATABASE data source (the RDS Data API model), run against a PostgreSQL or MySQL/MariaDB
// server of your own. A request is the document `@aws-appsync/utils/rds` builds, or a VTL template's
// `{ version: '2018-05-29', statements, variableMap, variableTypeHintMap }`: one or two statements, run in order on
// one pooled connection, their `:name` variables bound as driver parameters. The result, as on AppSync, is the JSON
// text of `{ sqlStatementResults }` in the Data API's shape, which `toJsonObject` reads.
//
// The cluster and secret ARNs of the app definition name nothing on this machine, so the database comes from, in
// order: the environment variable SYNCLINE_RDS_<DATA SOURCE NAME>_URL, SYNCLINE_RDS_URL, or `config.connectionUrl`.

import type { RdsDriver, RdsStatement } from './rdsDriver.js';
import { mysqlDriver } from './rdsMysql.js';
import { toPositional } from './rdsPlaceholders.js';
import { postgresDriver } from './rdsPostgres.js';
import type { DataSource } from './types.js';
import { DataSourceError } from './types.js';

const BAD_REQUEST = '400 Bad Request';
const UNAVAILABLE = '503 Service Unavailable';
const MAPPING = 'MappingTemplate';
const TYPE_HINTS = new Set(['DECIMAL', 'JSON', 'TIMESTAMP', 'TIME', 'UUID', 'DATE']);
/** Connections per data source when the config does not say (AppSync's side is the Data API's; ours is a pool). */
export const DEFAULT_MAX_CONNECTIONS = 5;

export interface RdsDataSourceOptions {
  env: Record<string, string | undefined>;
  log: { warn(msg: string): void };
}

/** `SYNCLINE_RDS_<NAME>_URL`: the data source's name upper-cased, every other character than A-Z and 0-9 as `_`. */
export function rdsEnvName(dataSource: string): string {
  return `SYNCLINE_RDS_${dataSource.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}

/** The connection URL of a data source, with `databaseName` as its database when the URL names none. */
export function rdsConnectionUrl(
  dataSource: string,
  config: Record<string, unknown>,
  env: Record<string, string | undefined>,
): string | undefined {
  const raw = env[rdsEnvName(dataSource)] || env.SYNCLINE_RDS_URL || config.connectionUrl;
  if (typeof raw !== 'string' || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The URL may hold a password: name where it came from, not what it says.
    throw new Error(`data source ${dataSource}: its connection URL is not a URL (postgres://user@host:5432/db)`);
  }
  if (!/^(postgres|postgresql|mysql|mariadb):$/.test(url.protocol)) {
    throw new Error(
      `data source ${dataSource}: the connection URL must start with postgres://, postgresql://, mysql:// or mariadb://`,
    );
  }
  if ((url.pathname === '' || url.pathname === '/') && typeof config.databaseName === 'string') {
    url.pathname = `/${encodeURIComponent(config.databaseName)}`;
  }
  if (url.protocol === 'mariadb:') return `mysql:${url.href.slice('mariadb:'.length)}`;
  return url.href;
}

interface RdsRequest {
  statements: string[];
  variableMap: Record<string, unknown>;
  variableTypeHintMap: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseRequest(request: unknown): RdsRequest {
  if (!isObject(request)) throw new DataSourceError('An RDS request is an object with statements.', MAPPING);
  if (request.version !== undefined && request.version !== '2018-05-29') {
    throw new DataSourceError(`Unsupported version '${String(request.version)}'. Use 2018-05-29.`, MAPPING);
  }
  const { statements, variableMap = {}, variableTypeHintMap = {} } = request;
  if (!Array.isArray(statements) || statements.length < 1 || statements.length > 2) {
    throw new DataSourceError('An RDS request has one or two statements (a list of SQL strings).', MAPPING);
  }
  if (!statements.every((s) => typeof s === 'string' && s.trim() !== '')) {
    throw new DataSourceError('Each RDS statement is a non-empty SQL string.', MAPPING);
  }
  if (!isObject(variableMap)) throw new DataSourceError('variableMap is an object of :name → value.', MAPPING);
  if (!isObject(variableTypeHintMap)) {
    throw new DataSourceError('variableTypeHintMap is an object of :name → type hint.', MAPPING);
  }
  for (const [name, hint] of Object.entries(variableTypeHintMap)) {
    if (typeof hint !== 'string' || !TYPE_HINTS.has(hint)) {
      throw new DataSourceError(
        `Unsupported type hint '${String(hint)}' for ${name}. Use one of ${[...TYPE_HINTS].join(', ')}.`,
        MAPPING,
      );
    }
  }
  return {
    statements: statements as string[],
    variableMap,
    variableTypeHintMap: variableTypeHintMap as Record<string, string>,
  };
}

/** The Data API's words for a failed statement, as AppSync reports it. */
const dataApiError = (message: string, type: string) =>
  new DataSourceError(`RDSHttp:${JSON.stringify({ message })}`, type);

/** A variable's value as a driver parameter: scalars as they are, lists and objects as their JSON text. */
function parameter(name: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw dataApiError(`The value of parameter ${name} is not a finite number`, BAD_REQUEST);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function lookup(map: Record<string, unknown>, name: string): { found: boolean; value?: unknown } {
  if (Object.hasOwn(map, name)) return { found: true, value: map[name] };
  const bare = name.slice(1);
  if (Object.hasOwn(map, bare)) return { found: true, value: map[bare] };
  return { found: false };
}

function bind(driver: RdsDriver, request: RdsRequest): RdsStatement[] {
  const hintOf = (name: string) => request.variableTypeHintMap[name] ?? request.variableTypeHintMap[name.slice(1)];
  return request.statements.map((sql) => {
    const { text, names } = toPositional(sql, driver.dialect, (name) => driver.casts[hintOf(name) ?? ''] ?? '');
    const values = names.map((name) => {
      const v = lookup(request.variableMap, name);
      if (!v.found) throw dataApiError(`No value specified for parameter: ${name}`, BAD_REQUEST);
      return parameter(name, v.value);
    });
    return { text, values };
  });
}

export function rdsDataSource(
  name: string,
  config: Record<string, unknown>,
  options: RdsDataSourceOptions,
): DataSource & { close(): Promise<void> } {
  const url = rdsConnectionUrl(name, config, options.env);
  if (!url) {
    options.log.warn(
      `data source ${name}: no database is mapped; set ${rdsEnvName(name)} (or SYNCLINE_RDS_URL, or config.connectionUrl)`,
    );
  }
  const maxConnections =
    typeof config.maxConnections === 'number' && config.maxConnections > 0
      ? Math.floor(config.maxConnections)
      : DEFAULT_MAX_CONNECTIONS;
  let driver: RdsDriver | undefined;
  const open = (): RdsDriver => {
    if (!url) {
      throw dataApiError(
        `No database is mapped to data source '${name}': set ${rdsEnvName(name)} or SYNCLINE_RDS_URL to a postgres:// or mysql:// URL, or config.connectionUrl`,
        UNAVAILABLE,
      );
    }
    driver ??= url.startsWith('mysql:')
      ? mysqlDriver(url, { maxConnections })
      : postgresDriver(url, { maxConnections, log: (msg) => options.log.warn(`data source ${name}: ${msg}`) });
    return driver;
  };

  return {
    name,
    type: 'RELATIONAL_DATABASE',
    async invoke(request) {
      const parsed = parseRequest(request);
      const db = open();
      const statements = bind(db, parsed);
      try {
        return JSON.stringify({ sqlStatementResults: await db.run(statements) });
      } catch (error) {
        const failure = db.classify(error);
        if (!failure.unavailable) throw dataApiError(failure.message, BAD_REQUEST);
        // The driver's words name hosts and ports: they go to the log, the client gets the Data API's.
        options.log.warn(`data source ${name}: database unreachable: ${failure.message}`);
        throw dataApiError(
          `Communications link failure: the database of data source '${name}' cannot be reached`,
          UNAVAILABLE,
        );
      }
    },
    async close() {
      const d = driver;
      driver = undefined;
      await d?.close();
    },
  };
}

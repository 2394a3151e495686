// A RELATIONAL_DATABASE data source's MySQL/MariaDB side, on `mysql2`'s pool. Statements run as server-side prepared
// statements (`execute`), so values travel apart from the SQL text. Dates, decimals, big integers and JSON are read
// as strings and turned into the Data API's Fields by the column's type.
import { createPool, type FieldPacket, type ResultSetHeader } from 'mysql2/promise';
import type { RdsDriver, RdsFailure, RdsStatement } from './rdsDriver.js';
import { type ColumnMetadata, column, type SqlStatementResult, toField, type ValueKind } from './rdsResult.js';

/** MySQL column type codes: name, JDBC type number, and how values become Fields. */
const TYPES: Record<number, [string, number, ValueKind]> = {
  0: ['DECIMAL', 3, 'string'],
  1: ['TINYINT', -6, 'long'],
  2: ['SMALLINT', 5, 'long'],
  3: ['INT', 4, 'long'],
  4: ['FLOAT', 7, 'double'],
  5: ['DOUBLE', 8, 'double'],
  7: ['TIMESTAMP', 93, 'string'],
  8: ['BIGINT', -5, 'long'],
  9: ['MEDIUMINT', 4, 'long'],
  10: ['DATE', 91, 'string'],
  11: ['TIME', 92, 'string'],
  12: ['DATETIME', 93, 'string'],
  13: ['YEAR', 91, 'long'],
  15: ['VARCHAR', 12, 'string'],
  16: ['BIT', -7, 'blob'],
  245: ['JSON', -1, 'string'],
  246: ['DECIMAL', 3, 'string'],
  252: ['TEXT', -1, 'string'],
  253: ['VARCHAR', 12, 'string'],
  254: ['CHAR', 1, 'string'],
};
const BINARY_CHARSET = 63;
const UNSIGNED_FLAG = 32;
const AUTO_INCREMENT_FLAG = 512;
const NOT_NULL_FLAG = 1;
const WRITES = /^\s*(insert|update|delete|replace)\b/i;
/** Errors that mean the connection never worked: refused, timed out, lost, bad credentials, unknown database. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_CON_COUNT_ERROR',
  'POOL_ACQUIRE_TIMEOUT',
]);
/** How long a request waits for a pooled connection (mysql2's pool would wait forever), as `pg`'s pool is told. */
const ACQUIRE_MS = 5_000;

export function mysqlDriver(url: string, options: { maxConnections: number }): RdsDriver {
  const pool = createPool({
    uri: url,
    connectionLimit: options.maxConnections,
    connectTimeout: 5_000,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    jsonStrings: true,
    rowsAsArray: true,
    multipleStatements: false,
    timezone: 'Z',
    idleTimeout: 10_000,
    // Each distinct statement text is prepared once per connection and cached; mysql2's default cache (16,000 per
    // connection) times the pool could exhaust the server's max_prepared_stmt_count (16,382 by default) for all.
    maxPreparedStatements: 256,
  });

  const acquire = async () => {
    const pending = pool.getConnection();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            Object.assign(new Error('timed out waiting for a pooled connection'), { code: 'POOL_ACQUIRE_TIMEOUT' }),
          ),
        ACQUIRE_MS,
      );
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      // A connection that arrives after the wait was given up goes back to the pool.
      pending.then(
        (c) => c.release(),
        () => {},
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  const metadata = (f: FieldPacket): [ColumnMetadata, ValueKind] => {
    const code = f.columnType ?? f.type ?? 253;
    const binary = f.characterSet === BINARY_CHARSET;
    const known = TYPES[code];
    const [typeName, type, kind]: [string, number, ValueKind] = known
      ? [known[0], known[1], known[2] === 'string' && binary && code >= 249 ? 'blob' : known[2]]
      : [binary ? 'BLOB' : 'TEXT', binary ? -4 : -1, binary ? 'blob' : 'string'];
    const flags = typeof f.flags === 'number' ? f.flags : 0;
    return [
      column({
        name: f.orgName || f.name,
        label: f.name,
        typeName,
        type,
        tableName: f.orgTable ?? '',
        schemaName: f.schema ?? '',
        isSigned: kind === 'long' || kind === 'double' ? (flags & UNSIGNED_FLAG) === 0 : false,
        isAutoIncrement: (flags & AUTO_INCREMENT_FLAG) !== 0,
        nullable: (flags & NOT_NULL_FLAG) !== 0 ? 0 : 1,
        precision: f.columnLength ?? 0,
        scale: f.decimals ?? 0,
      }),
      kind,
    ];
  };

  return {
    dialect: 'mysql',
    casts: {},
    async run(statements: RdsStatement[]) {
      const conn = await acquire();
      try {
        const out: SqlStatementResult[] = [];
        for (const s of statements) {
          const [rows, fields] = await conn.execute({ sql: s.text, timeout: 30_000 }, s.values as never[]);
          if (!Array.isArray(rows)) {
            const header = rows as ResultSetHeader;
            out.push({
              numberOfRecordsUpdated: header.affectedRows,
              generatedFields: header.insertId ? [{ longValue: Number(header.insertId) }] : [],
            });
            continue;
          }
          const described = (fields ?? []).map(metadata);
          const records = (rows as unknown[][]).map((row) => row.map((v, i) => toField(v, described[i][1])));
          out.push({
            numberOfRecordsUpdated: WRITES.test(s.text) ? records.length : 0,
            generatedFields: [],
            records,
            columnMetadata: described.map(([c]) => c),
          });
        }
        return out;
      } finally {
        conn.release();
      }
    },
    classify(error: unknown): RdsFailure {
      const e = error as { code?: string; errno?: number; message?: string; fatal?: boolean };
      if ((e.code && UNREACHABLE.has(e.code)) || e.fatal || e.errno === undefined) {
        return { unavailable: true, message: e.message ?? String(error) };
      }
      return { unavailable: false, message: `Database error code: ${e.errno}. Message: ${e.message}` };
    },
    close: () => pool.end(),
  };
}

// A RELATIONAL_DATABASE data source's PostgreSQL side, on `pg`'s pool. Every value is read as the server's text
// (no client-side parsing into Dates or floats) and turned into the Data API's Field by the column's type, so a
// timestamp reads `2024-01-02 03:04:05` as the Data API returns it, in UTC.
import pg from 'pg';
import type { RdsDriver, RdsFailure, RdsStatement } from './rdsDriver.js';
import { type ColumnMetadata, column, type SqlStatementResult, toField, type ValueKind } from './rdsResult.js';

/** PostgreSQL's built-in type OIDs: name, JDBC type number, and how values become Fields. */
const TYPES: Record<number, [string, number, ValueKind]> = {
  16: ['bool', -7, 'boolean'],
  17: ['bytea', -2, 'blob'],
  20: ['int8', -5, 'long'],
  21: ['int2', 5, 'long'],
  23: ['int4', 4, 'long'],
  26: ['oid', -5, 'long'],
  700: ['float4', 7, 'double'],
  701: ['float8', 8, 'double'],
  1700: ['numeric', 2, 'string'],
  25: ['text', 12, 'string'],
  1043: ['varchar', 12, 'string'],
  1042: ['bpchar', 1, 'string'],
  2950: ['uuid', 1111, 'string'],
  114: ['json', 1111, 'string'],
  3802: ['jsonb', 1111, 'string'],
  1082: ['date', 91, 'string'],
  1083: ['time', 92, 'string'],
  1114: ['timestamp', 93, 'string'],
  1184: ['timestamptz', 93, 'string'],
};

/** Data API type hints as PostgreSQL casts of the parameter. */
export const PG_CASTS: Record<string, string> = {
  DECIMAL: '::numeric',
  JSON: '::json',
  TIMESTAMP: '::timestamp',
  TIME: '::time',
  UUID: '::uuid',
  DATE: '::date',
};

const raw = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export function postgresDriver(
  url: string,
  options: { maxConnections: number; log: (msg: string) => void },
): RdsDriver {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 10_000,
    // AppSync gives a resolver 30 s; a statement is not allowed to outlive it.
    statement_timeout: 30_000,
    options: '-c DateStyle=ISO -c TimeZone=UTC',
    types: raw,
  });
  // An idle connection the server drops emits here; without a listener it would end the process.
  pool.on('error', (error) => options.log(`postgres pool: ${error.message}`));

  const result = (r: pg.QueryResult<unknown[]>): SqlStatementResult => {
    const returnsRows = r.fields.length > 0;
    const updated = r.command === 'SELECT' ? 0 : (r.rowCount ?? 0);
    if (!returnsRows) return { numberOfRecordsUpdated: updated, generatedFields: [] };
    const kinds = r.fields.map((f) => TYPES[f.dataTypeID]?.[2] ?? 'string');
    const columnMetadata: ColumnMetadata[] = r.fields.map((f) => {
      const [typeName, type] = TYPES[f.dataTypeID] ?? ['unknown', 1111];
      return column({ name: f.name, typeName, type, isSigned: [-5, 5, 4, 7, 8, 2].includes(type) });
    });
    return {
      numberOfRecordsUpdated: updated,
      generatedFields: [],
      records: r.rows.map((row) => row.map((v, i) => toField(v, kinds[i]))),
      columnMetadata,
    };
  };

  return {
    dialect: 'postgres',
    casts: PG_CASTS,
    async run(statements: RdsStatement[]) {
      const client = await pool.connect();
      try {
        const out: SqlStatementResult[] = [];
        for (const s of statements) {
          out.push(result(await client.query<unknown[]>({ text: s.text, values: s.values, rowMode: 'array' })));
        }
        return out;
      } finally {
        client.release();
      }
    },
    classify(error: unknown): RdsFailure {
      const e = error as { code?: string; message?: string; position?: string };
      const code = typeof e.code === 'string' ? e.code : '';
      // SQLSTATE classes 08 (connection), 28 (authorization), 3D000 (no such database), 57P0x (shutting down);
      // anything without a SQLSTATE (ECONNREFUSED, a connect timeout) never reached the database either.
      if (!/^[0-9A-Z]{5}$/.test(code) || /^(08|28|57P0)/.test(code) || code === '3D000') {
        return { unavailable: true, message: e.message ?? String(error) };
      }
      const position = e.position ? `\n  Position: ${e.position}` : '';
      return { unavailable: false, message: `ERROR: ${e.message}${position}; SQLState: ${code}` };
    },
    close: () => pool.end(),
  };
}

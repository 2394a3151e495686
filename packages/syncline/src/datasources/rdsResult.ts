// The RDS Data API's ExecuteStatement result, which AppSync hands a resolver (as JSON text) in `ctx.result`:
// `{ sqlStatementResults: [{ records, columnMetadata, numberOfRecordsUpdated, generatedFields }] }`. Each driver
// (rdsPostgres.ts, rdsMysql.ts) describes its columns and values in these words.

/** One value as the Data API sends it. */
export type Field =
  | { isNull: true }
  | { stringValue: string }
  | { longValue: number }
  | { doubleValue: number }
  | { booleanValue: boolean }
  | { blobValue: string };

export interface ColumnMetadata {
  name: string;
  label: string;
  typeName: string;
  /** The JDBC type number (java.sql.Types), as the Data API reports it. */
  type: number;
  tableName: string;
  schemaName: string;
  isSigned: boolean;
  isAutoIncrement: boolean;
  isCaseSensitive: boolean;
  isCurrency: boolean;
  nullable: number;
  precision: number;
  scale: number;
  arrayBaseColumnType: number;
}

export interface SqlStatementResult {
  numberOfRecordsUpdated: number;
  generatedFields: Field[];
  records?: Field[][];
  columnMetadata?: ColumnMetadata[];
}

/** How a column's values become Fields. */
export type ValueKind = 'string' | 'long' | 'double' | 'boolean' | 'blob';

export function toField(value: unknown, kind: ValueKind): Field {
  if (value === null || value === undefined) return { isNull: true };
  switch (kind) {
    case 'long':
      return { longValue: Number(value) };
    case 'double':
      return { doubleValue: Number(value) };
    case 'boolean':
      return { booleanValue: value === true || value === 't' || value === 1 || value === '1' };
    case 'blob':
      return { blobValue: Buffer.isBuffer(value) ? value.toString('base64') : String(value) };
    default:
      return { stringValue: Buffer.isBuffer(value) ? value.toString('utf8') : String(value) };
  }
}

export function column(partial: Partial<ColumnMetadata> & { name: string }): ColumnMetadata {
  return {
    label: partial.name,
    typeName: '',
    type: 1111,
    tableName: '',
    schemaName: '',
    isSigned: false,
    isAutoIncrement: false,
    isCaseSensitive: false,
    isCurrency: false,
    nullable: 2,
    precision: 0,
    scale: 0,
    arrayBaseColumnType: 0,
    ...partial,
  };
}

import { type FormEvent, useState } from 'react';
import { keyAttribute } from './convert.js';
import type { AttributeValue, IndexDescription, TableDescription } from './dynamodb.js';

export interface QueryRequest {
  IndexName?: string;
  KeyConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
  ScanIndexForward: boolean;
}

const OPERATORS = ['=', '<', '<=', '>', '>=', 'begins_with', 'between'] as const;

/** Query by the table's or an index's key: the partition key's value and an optional sort key condition. */
export function QueryForm(props: { table: TableDescription; onQuery: (request: QueryRequest) => void }) {
  const { table } = props;
  const indexes: IndexDescription[] = [
    { IndexName: '', KeySchema: table.KeySchema },
    ...(table.GlobalSecondaryIndexes ?? []),
    ...(table.LocalSecondaryIndexes ?? []),
  ];
  const [indexName, setIndexName] = useState('');
  const [partition, setPartition] = useState('');
  const [operator, setOperator] = useState<(typeof OPERATORS)[number]>('=');
  const [sort, setSort] = useState('');
  const [sortTo, setSortTo] = useState('');
  const [forward, setForward] = useState(true);

  const keys = indexes.find((i) => i.IndexName === indexName)?.KeySchema ?? table.KeySchema;
  const hash = keys.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = keys.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const typeOf = (name: string) =>
    table.AttributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const names: Record<string, string> = { '#pk': hash };
    const values: Record<string, AttributeValue> = { ':pk': keyAttribute(typeOf(hash), partition) };
    let expression = '#pk = :pk';
    if (range && sort !== '') {
      names['#sk'] = range;
      values[':sk'] = keyAttribute(typeOf(range), sort);
      if (operator === 'begins_with') expression += ' AND begins_with(#sk, :sk)';
      else if (operator === 'between') {
        values[':sk2'] = keyAttribute(typeOf(range), sortTo);
        expression += ' AND #sk BETWEEN :sk AND :sk2';
      } else expression += ` AND #sk ${operator} :sk`;
    }
    props.onQuery({
      ...(indexName ? { IndexName: indexName } : {}),
      KeyConditionExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: forward,
    });
  };

  return (
    <form className="query-form" onSubmit={submit} data-testid="query-form">
      <label>
        Index
        <select name="index" value={indexName} onChange={(e) => setIndexName(e.target.value)}>
          {indexes.map((i) => (
            <option key={i.IndexName} value={i.IndexName}>
              {i.IndexName || '(table)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        {hash} =
        <input name="partition" value={partition} onChange={(e) => setPartition(e.target.value)} required />
      </label>
      {range ? (
        <>
          <label>
            {range}
            <select name="operator" value={operator} onChange={(e) => setOperator(e.target.value as typeof operator)}>
              {OPERATORS.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <input name="sort" value={sort} placeholder="(any)" onChange={(e) => setSort(e.target.value)} />
          {operator === 'between' ? (
            <input name="sort-to" value={sortTo} placeholder="and" onChange={(e) => setSortTo(e.target.value)} />
          ) : null}
        </>
      ) : null}
      <label>
        <input type="checkbox" checked={!forward} onChange={(e) => setForward(!e.target.checked)} /> descending
      </label>
      <button type="submit" className="primary">
        Query
      </button>
    </form>
  );
}

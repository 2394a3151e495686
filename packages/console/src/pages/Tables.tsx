import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../api.js';
import { href } from '../route.js';
import { plainItem } from '../tables/convert.js';
import { dynamodb, type Item, type TableDescription } from '../tables/dynamodb.js';
import { ItemEditor } from '../tables/ItemEditor.js';
import { ItemGrid } from '../tables/ItemGrid.js';
import { QueryForm, type QueryRequest } from '../tables/QueryForm.js';
import type { AppInfo } from '../types.js';

const PAGE_SIZE = 25;

export function TablesPage({ app, table }: { app: AppInfo; table: string | undefined }) {
  const [names, setNames] = useState<string[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    dynamodb<{ TableNames: string[] }>('ListTables', {}).then(
      (r) => setNames(r.TableNames),
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  const selected = table ?? names?.[0];
  return (
    <div className="split">
      <aside className="list" data-testid="table-list">
        <h2>Tables</h2>
        {error ? <div className="error">{error}</div> : null}
        {names?.map((name) => (
          <a key={name} href={href('tables', name)} className={name === selected ? 'active' : undefined}>
            {name}
          </a>
        ))}
        {names && !names.length ? <div className="muted">No tables.</div> : null}
      </aside>
      <section className="detail">
        {selected ? <TableView key={selected} name={selected} ttlAttribute={ttlOf(app, selected)} /> : null}
      </section>
    </div>
  );
}

const ttlOf = (app: AppInfo, name: string) => app.tables.find((t) => t.name === name)?.ttlAttribute;

type Source = { kind: 'scan' } | { kind: 'query'; request: QueryRequest };

function TableView({ name, ttlAttribute: declaredTtl }: { name: string; ttlAttribute: string | undefined }) {
  const [description, setDescription] = useState<TableDescription>();
  const [ttlAttribute, setTtlAttribute] = useState(declaredTtl);
  const [source, setSource] = useState<Source>({ kind: 'scan' });
  // The keys that started each page so far: Previous goes back one, Next follows LastEvaluatedKey.
  const [pageStarts, setPageStarts] = useState<(Item | undefined)[]>([undefined]);
  const [items, setItems] = useState<Item[]>([]);
  const [next, setNext] = useState<Item>();
  // What the grid shows came from: set with the items, so the label never runs ahead of the rows.
  const [shown, setShown] = useState<Source['kind']>('scan');
  const [editing, setEditing] = useState<{ item: Item | undefined }>();
  const [error, setError] = useState<string>();
  const [showDescription, setShowDescription] = useState(false);

  useEffect(() => {
    dynamodb<{ Table: TableDescription }>('DescribeTable', { TableName: name }).then(
      (r) => setDescription(r.Table),
      (e: unknown) => setError(errorText(e)),
    );
    if (!declaredTtl) {
      dynamodb<{ TimeToLiveDescription?: { AttributeName?: string; TimeToLiveStatus?: string } }>(
        'DescribeTimeToLive',
        { TableName: name },
      ).then(
        (r) => {
          if (r.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED')
            setTtlAttribute(r.TimeToLiveDescription.AttributeName);
        },
        () => undefined,
      );
    }
  }, [name, declaredTtl]);

  const start = pageStarts[pageStarts.length - 1];
  const load = useCallback(async () => {
    try {
      const body = {
        TableName: name,
        Limit: PAGE_SIZE,
        ...(start ? { ExclusiveStartKey: start } : {}),
        ...(source.kind === 'query' ? source.request : {}),
      };
      const r = await dynamodb<{ Items: Item[]; LastEvaluatedKey?: Item }>(
        source.kind === 'query' ? 'Query' : 'Scan',
        body,
      );
      setItems(r.Items);
      setNext(r.LastEvaluatedKey);
      setShown(source.kind);
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  }, [name, source, start]);
  useEffect(() => {
    void load();
  }, [load]);

  const keyNames = ['HASH', 'RANGE'].flatMap((type) =>
    (description?.KeySchema ?? []).filter((k) => k.KeyType === type).map((k) => k.AttributeName),
  );
  const keyOf = (item: Item) => Object.fromEntries(keyNames.map((k) => [k, item[k]!]));

  const restart = (s: Source) => {
    setSource(s);
    setPageStarts([undefined]);
  };

  const put = async (item: Item) => {
    await dynamodb('PutItem', { TableName: name, Item: item });
    setEditing({ item });
    await load();
  };

  const remove = async (item: Item) => {
    if (!confirm(`Delete ${JSON.stringify(plainItem(keyOf(item)))} from ${name}?`)) return;
    try {
      await dynamodb('DeleteItem', { TableName: name, Key: keyOf(item) });
      if (editing?.item && JSON.stringify(keyOf(editing.item)) === JSON.stringify(keyOf(item))) setEditing(undefined);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="table-view" data-testid="table-view">
      <div className="toolbar">
        <h2>{name}</h2>
        {description ? (
          <span className="muted">
            {keyNames.join(' + ')} · {description.ItemCount ?? '?'} items
            {ttlAttribute ? ` · TTL ${ttlAttribute}` : ''}
            {description.StreamSpecification?.StreamEnabled ? (
              <>
                {' · '}
                <a href={href('streams', name)}>stream {description.StreamSpecification.StreamViewType}</a>
              </>
            ) : null}
          </span>
        ) : null}
        <span className="spacer" />
        <button type="button" onClick={() => setShowDescription(!showDescription)}>
          {showDescription ? 'Hide' : 'Describe'}
        </button>
        <button
          type="button"
          className={source.kind === 'scan' ? 'primary' : undefined}
          onClick={() => restart({ kind: 'scan' })}
        >
          Scan
        </button>
        <button type="button" onClick={() => setEditing({ item: undefined })}>
          New item
        </button>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {showDescription && description ? <pre className="json">{JSON.stringify(description, null, 2)}</pre> : null}
      {description ? (
        <QueryForm table={description} onQuery={(request) => restart({ kind: 'query', request })} />
      ) : null}
      {editing ? <ItemEditor item={editing.item} onPut={put} onClose={() => setEditing(undefined)} /> : null}
      {error ? <div className="error">{error}</div> : null}
      <ItemGrid
        items={items}
        keyNames={keyNames}
        ttlAttribute={ttlAttribute}
        onEdit={(item) => setEditing({ item })}
        onDelete={(item) => void remove(item)}
      />
      <div className="pager">
        <button type="button" disabled={pageStarts.length < 2} onClick={() => setPageStarts(pageStarts.slice(0, -1))}>
          Previous
        </button>
        <span className="muted">
          page {pageStarts.length} · {items.length} items ({shown})
        </span>
        <button type="button" disabled={!next} onClick={() => setPageStarts([...pageStarts, next])}>
          Next
        </button>
      </div>
    </div>
  );
}

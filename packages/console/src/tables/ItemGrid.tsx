import { display } from './convert.js';
import type { Item } from './dynamodb.js';
import { TtlCountdown } from './TtlCountdown.js';

/** Items as rows: key attributes first, then every other attribute any item on the page has. */
export function ItemGrid(props: {
  items: Item[];
  keyNames: string[];
  ttlAttribute?: string;
  onEdit: (item: Item) => void;
  onDelete: (item: Item) => void;
}) {
  const { items, keyNames, ttlAttribute } = props;
  const others = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) if (!keyNames.includes(name)) others.add(name);
  const columns = [...keyNames, ...[...others].sort()];
  if (!items.length) return <div className="muted pad">No items.</div>;
  return (
    <div className="grid-scroll">
      <table className="grid" data-testid="item-grid">
        <thead>
          <tr>
            <th />
            {columns.map((c) => (
              <th key={c} className={keyNames.includes(c) ? 'key' : undefined}>
                {c}
                {c === ttlAttribute ? <span className="badge">TTL</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const id = keyNames.map((k) => display(item[k])).join('|');
            return (
              <tr key={id} data-key={id}>
                <td className="actions">
                  <button type="button" onClick={() => props.onEdit(item)}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => props.onDelete(item)}>
                    Delete
                  </button>
                </td>
                {columns.map((c) => {
                  const value = item[c];
                  return (
                    <td key={c}>
                      {c === ttlAttribute && value && 'N' in value ? (
                        <>
                          {value.N} <TtlCountdown epochSeconds={Number(value.N)} />
                        </>
                      ) : (
                        display(value)
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

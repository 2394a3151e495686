import { useEffect, useState } from 'react';
import { parseItem, plainItem } from './convert.js';
import type { Item } from './dynamodb.js';

/** An item as JSON text: plain JSON by default, DynamoDB JSON on request; either is accepted on Put. */
export function ItemEditor(props: {
  item: Item | undefined;
  onPut: (item: Item) => Promise<void>;
  onClose: () => void;
}) {
  const [dynamoJson, setDynamoJson] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setText(props.item ? JSON.stringify(dynamoJson ? props.item : plainItem(props.item), null, 2) : '{\n  \n}');
    setError(undefined);
  }, [props.item, dynamoJson]);

  const put = async () => {
    let item: Item;
    try {
      item = parseItem(text);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    setBusy(true);
    try {
      await props.onPut(item);
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="editor" data-testid="item-editor">
      <div className="toolbar">
        <strong>{props.item ? 'Edit item' : 'New item'}</strong>
        <label>
          <input type="checkbox" checked={dynamoJson} onChange={(e) => setDynamoJson(e.target.checked)} /> DynamoDB JSON
        </label>
        <span className="spacer" />
        <button type="button" className="primary" disabled={busy} onClick={put}>
          Put item
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <textarea name="item-json" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} rows={12} />
      {error ? <div className="error">{error}</div> : null}
    </div>
  );
}

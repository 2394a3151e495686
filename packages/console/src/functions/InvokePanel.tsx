import { useState } from 'react';
import { errorText, postJson } from '../api.js';
import { Json } from '../components/Json.js';
import { LogLines } from '../components/LogLines.js';
import { ms } from '../components/time.js';
import type { InvokeResult } from '../types.js';

/** Invoke a function with a JSON test event and show what came back and what it printed. */
export function InvokePanel({ name, onInvoked }: { name: string; onInvoked: () => void }) {
  const [event, setEvent] = useState('{\n  "key": "value"\n}');
  const [result, setResult] = useState<InvokeResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const invoke = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(event);
    } catch (e) {
      setError(`The test event is not JSON: ${errorText(e)}`);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setResult(await postJson<InvokeResult>(`functions/${encodeURIComponent(name)}/invoke`, parsed));
      onInvoked();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" data-testid="invoke-panel">
      <div className="toolbar">
        <h3>Test event</h3>
        <span className="spacer" />
        <button type="button" className="primary" disabled={busy} onClick={() => void invoke()}>
          {busy ? 'Invoking…' : 'Invoke'}
        </button>
      </div>
      <textarea name="event" spellCheck={false} rows={6} value={event} onChange={(e) => setEvent(e.target.value)} />
      {error ? <div className="error">{error}</div> : null}
      {result ? (
        <div data-testid="invoke-result">
          <div className="row">
            <span className={result.ok ? 'tag ok' : 'tag bad'}>{result.ok ? 'Succeeded' : 'Failed'}</span>
            <span className="mono">{result.requestId}</span>
            <span>{ms(result.durationMs)}</span>
          </div>
          {result.ok ? <Json value={result.payload} open /> : <Json value={result.error} open />}
          <LogLines logs={result.logs} />
        </div>
      ) : null}
    </div>
  );
}

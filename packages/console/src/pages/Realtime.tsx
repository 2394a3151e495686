import { useEffect } from 'react';
import { getJson } from '../api.js';
import { Json } from '../components/Json.js';
import { clock } from '../components/time.js';
import { useResource } from '../components/useResource.js';
import type { RealtimeView } from '../types.js';
import { useLive } from '../useLive.js';

export function RealtimePage() {
  const { value, error, reload } = useResource(() => getJson<RealtimeView>('realtime'));
  useLive((e) => e.type === 'span' && e.span.kind === 'delivery', reload);
  // Connections come and go without journal events: look again every few seconds.
  useEffect(() => {
    const timer = setInterval(reload, 3000);
    return () => clearInterval(timer);
  }, [reload]);
  return (
    <div className="pad" data-testid="realtime">
      <div className="toolbar">
        <h2>Realtime connections</h2>
        <span className="muted">{value ? `${value.connections.length} open` : ''}</span>
        <span className="spacer" />
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {error ? <div className="error">{error}</div> : null}
      {value && !value.connections.length ? <div className="muted">No open connections.</div> : null}
      {value?.connections.map((c) => (
        <div key={c.id} className="card">
          <div className="row">
            <span className="mono">{c.id}</span>
            <span className="tag">{c.protocol}</span>
            <span className="muted">since {clock(c.connectedAt)}</span>
            <Json value={c.auth} />
          </div>
          {c.subscriptions.length ? (
            <table className="grid compact">
              <thead>
                <tr>
                  <th>id</th>
                  <th>field</th>
                  <th>filter</th>
                  <th>variables</th>
                </tr>
              </thead>
              <tbody>
                {c.subscriptions.map((s) => (
                  <tr key={s.id}>
                    <td className="mono">{s.id}</td>
                    <td>{s.field}</td>
                    <td>{s.filter === undefined ? '' : <Json value={s.filter} />}</td>
                    <td>{s.variables === undefined ? '' : <Json value={s.variables} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div className="muted">no subscriptions</div>
          )}
        </div>
      ))}
    </div>
  );
}

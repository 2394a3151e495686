import { getJson } from '../api.js';
import { clock, ms } from '../components/time.js';
import { useResource } from '../components/useResource.js';
import { href } from '../route.js';
import { Waterfall } from '../traces/Waterfall.js';
import type { Span, TraceSummary } from '../types.js';
import { useLive } from '../useLive.js';

export function TracesPage({ traceId }: { traceId: string | undefined }) {
  const { value, error, reload } = useResource(() => getJson<TraceSummary[]>('traces?limit=50'));
  useLive((e) => e.type === 'span', reload);
  return (
    <div className="split">
      <aside className="list wide" data-testid="trace-list">
        <h2>Traces</h2>
        {error ? <div className="error">{error}</div> : null}
        {value?.map((t) => (
          <a key={t.traceId} href={href('traces', t.traceId)} className={t.traceId === traceId ? 'active' : undefined}>
            <span className={t.status === 'ok' ? undefined : 'bad'}>{t.name}</span>
            <br />
            <span className="mono muted">
              {clock(t.start)} · {ms(t.durationMs)} · {t.spanCount} spans
            </span>
          </a>
        ))}
        {value && !value.length ? <div className="muted">No traces yet.</div> : null}
      </aside>
      <section className="detail">
        {traceId ? <TraceView key={traceId} traceId={traceId} /> : <div className="muted pad">Pick a trace.</div>}
      </section>
    </div>
  );
}

function TraceView({ traceId }: { traceId: string }) {
  const { value, error, reload } = useResource(() =>
    getJson<{ traceId: string; spans: Span[] }>(`traces/${encodeURIComponent(traceId)}`),
  );
  // A trace keeps growing while its stream batches and deliveries run.
  useLive((e) => e.type === 'span' && e.span.traceId === traceId, reload);
  return (
    <div>
      <div className="toolbar">
        <h2 className="mono">{traceId}</h2>
        <span className="spacer" />
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {error ? <div className="error">{error}</div> : null}
      {value ? <Waterfall spans={value.spans} /> : null}
    </div>
  );
}

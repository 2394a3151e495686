import { getJson } from '../api.js';
import { useResource } from '../components/useResource.js';
import { Invocations } from '../functions/Invocations.js';
import { InvokePanel } from '../functions/InvokePanel.js';
import { href } from '../route.js';
import type { AppInfo, FunctionInfo, InvocationRecord } from '../types.js';
import { useLive } from '../useLive.js';

export function FunctionsPage({ app, name }: { app: AppInfo; name: string | undefined }) {
  const selected = app.functions.find((f) => f.name === name) ?? app.functions[0];
  return (
    <div className="split">
      <aside className="list" data-testid="function-list">
        <h2>Functions</h2>
        {app.functions.map((f) => (
          <a key={f.name} href={href('functions', f.name)} className={f === selected ? 'active' : undefined}>
            {f.name}
          </a>
        ))}
        {!app.functions.length ? <div className="muted">No functions.</div> : null}
      </aside>
      <section className="detail">{selected ? <FunctionView key={selected.name} fn={selected} /> : null}</section>
    </div>
  );
}

function FunctionView({ fn }: { fn: FunctionInfo }) {
  const { value, error, reload } = useResource(() =>
    getJson<InvocationRecord[]>(`functions/${encodeURIComponent(fn.name)}/invocations?limit=100`),
  );
  useLive((e) => e.type === 'invocation' && e.invocation.functionName === fn.name, reload);
  return (
    <div data-testid="function-view">
      <div className="toolbar">
        <h2>{fn.name}</h2>
        <span className="muted mono">
          {fn.handler} · {fn.runtime} · {fn.timeoutSeconds} s · {fn.memorySize} MB
        </span>
      </div>
      <div className="triggers">
        {fn.routes.map((r) => (
          <span key={`${r.method} ${r.path}`} className="tag">
            {r.method} {r.path}
          </span>
        ))}
        {fn.schedules.map((s) => (
          <span key={s.expression} className={s.enabled ? 'tag' : 'tag muted'}>
            {s.expression}
            {s.enabled ? '' : ' (disabled)'}
          </span>
        ))}
        {fn.streams.map((s) => (
          <a key={s.table} className="tag" href={href('streams', s.table)}>
            stream {s.table} · batch {s.batchSize} · {s.startingPosition}
          </a>
        ))}
      </div>
      <InvokePanel name={fn.name} onInvoked={reload} />
      <div className="toolbar">
        <h3>Invocations</h3>
        <span className="spacer" />
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {error ? <div className="error">{error}</div> : null}
      {value ? <Invocations invocations={value} /> : null}
    </div>
  );
}

import { ExplorerPage } from './pages/Explorer.js';
import { FunctionsPage } from './pages/Functions.js';
import { RealtimePage } from './pages/Realtime.js';
import { StreamsPage } from './pages/Streams.js';
import { TablesPage } from './pages/Tables.js';
import { TracesPage } from './pages/Traces.js';
import { href, useRoute } from './route.js';
import { useApp } from './useApp.js';

const PAGES = [
  ['explorer', 'Explorer'],
  ['tables', 'Tables'],
  ['streams', 'Streams'],
  ['functions', 'Functions'],
  ['traces', 'Traces'],
  ['realtime', 'Realtime'],
] as const;

export function App() {
  const route = useRoute();
  const { app, error, reload } = useApp();
  return (
    <div className="shell">
      <nav className="nav">
        <div className="brand">Syncline</div>
        {PAGES.map(([page, label]) => (
          <a key={page} href={href(page)} className={route.page === page ? 'active' : undefined} data-page={page}>
            {label}
          </a>
        ))}
        <div className="nav-foot">
          {app ? <span title="server mode">{app.mode}</span> : null}
          <button type="button" className="link" onClick={reload} title="Reload the app's definition">
            reload
          </button>
        </div>
      </nav>
      <main className="main">
        {error ? <div className="error">Console API: {error}</div> : null}
        {!app ? (
          error ? null : (
            <div className="muted pad">Loading…</div>
          )
        ) : route.page === 'tables' ? (
          <TablesPage app={app} table={route.rest[0]} />
        ) : route.page === 'streams' ? (
          <StreamsPage app={app} table={route.rest[0]} />
        ) : route.page === 'functions' ? (
          <FunctionsPage app={app} name={route.rest[0]} />
        ) : route.page === 'traces' ? (
          <TracesPage traceId={route.rest[0]} />
        ) : route.page === 'realtime' ? (
          <RealtimePage />
        ) : (
          <ExplorerPage app={app} />
        )}
      </main>
    </div>
  );
}

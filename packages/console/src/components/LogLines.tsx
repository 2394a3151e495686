import type { FunctionLogEntry } from '../types.js';
import { clock } from './time.js';

/** A function's log lines as Lambda prints them: START / END / REPORT and the handler's console output. */
export function LogLines({ logs }: { logs: FunctionLogEntry[] }) {
  if (!logs.length) return <div className="muted">No log lines.</div>;
  return (
    <pre className="logs" data-testid="logs">
      {logs.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no identity of their own
        <div key={i} className={`log ${l.level.toLowerCase()}`}>
          <span className="muted">{clock(l.time)} </span>
          {l.level === 'PLATFORM' ? '' : `${l.level}\t`}
          {l.message}
        </div>
      ))}
    </pre>
  );
}

import { useState } from 'react';
import { getJson } from '../api.js';
import { LogLines } from '../components/LogLines.js';
import { clock, ms } from '../components/time.js';
import { useResource } from '../components/useResource.js';
import { href } from '../route.js';
import type { FunctionLogEntry, InvocationRecord } from '../types.js';

/** Recent invocations, newest first; a row opens that request's log lines. */
export function Invocations({ invocations }: { invocations: InvocationRecord[] }) {
  const [open, setOpen] = useState<string>();
  if (!invocations.length) return <div className="muted">No invocations yet.</div>;
  return (
    <table className="grid" data-testid="invocations">
      <thead>
        <tr>
          <th>time</th>
          <th>request id</th>
          <th>trigger</th>
          <th>duration</th>
          <th>result</th>
          <th>trace</th>
        </tr>
      </thead>
      <tbody>
        {invocations.map((i) => (
          <InvocationRow
            key={i.requestId}
            invocation={i}
            open={open === i.requestId}
            onToggle={() => setOpen(open === i.requestId ? undefined : i.requestId)}
          />
        ))}
      </tbody>
    </table>
  );
}

function InvocationRow(props: { invocation: InvocationRecord; open: boolean; onToggle: () => void }) {
  const i = props.invocation;
  return (
    <>
      <tr className="clickable" onClick={props.onToggle}>
        <td className="mono">{clock(i.start)}</td>
        <td className="mono">{i.requestId}</td>
        <td>{i.trigger}</td>
        <td>{ms(i.durationMs)}</td>
        <td className={i.ok ? 'ok' : 'bad'}>{i.ok ? 'ok' : `${i.error?.errorType}: ${i.error?.errorMessage}`}</td>
        <td>
          {i.traceId ? (
            <a className="mono" href={href('traces', i.traceId)} onClick={(e) => e.stopPropagation()}>
              {i.traceId.slice(-8)}
            </a>
          ) : null}
        </td>
      </tr>
      {props.open ? (
        <tr>
          <td colSpan={6}>
            <RequestLogs functionName={i.functionName} requestId={i.requestId} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function RequestLogs({ functionName, requestId }: { functionName: string; requestId: string }) {
  const { value, error } = useResource(() =>
    getJson<FunctionLogEntry[]>(
      `functions/${encodeURIComponent(functionName)}/logs?requestId=${encodeURIComponent(requestId)}&limit=500`,
    ),
  );
  if (error) return <div className="error">{error}</div>;
  return value ? <LogLines logs={value} /> : <div className="muted">Loading…</div>;
}

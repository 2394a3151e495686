import { ms } from '../components/time.js';
import type { Span } from '../types.js';

interface Row {
  span: Span;
  depth: number;
}

/** Spans in tree order (children under their parent, siblings by start), each with its depth. */
function rows(spans: Span[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, Span[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const out: Row[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.start - b.start)) {
      out.push({ span, depth });
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}

/** One trace as a waterfall: a bar per span at its offset from the trace's start, as long as it lasted. */
export function Waterfall({ spans }: { spans: Span[] }) {
  if (!spans.length) return <div className="muted">No spans.</div>;
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.start + s.durationMs));
  const total = Math.max(end - start, 0.001);
  return (
    <table className="waterfall" data-testid="waterfall">
      <thead>
        <tr>
          <th>span</th>
          <th>kind</th>
          <th>start</th>
          <th>duration</th>
          <th className="bar-col">0 — {ms(total)}</th>
        </tr>
      </thead>
      <tbody>
        {rows(spans).map(({ span, depth }) => (
          <tr key={span.spanId} data-kind={span.kind} title={JSON.stringify(span.attributes, null, 2)}>
            <td style={{ paddingLeft: `${0.5 + depth}rem` }} className={span.status === 'error' ? 'bad' : undefined}>
              {span.name}
            </td>
            <td>
              <span className={`kind ${span.kind}`}>{span.kind}</span>
            </td>
            <td className="num">+{ms(span.start - start)}</td>
            <td className="num">{ms(span.durationMs)}</td>
            <td className="bar-col">
              <div
                className={`bar ${span.kind} ${span.status}`}
                style={{
                  marginLeft: `${((span.start - start) / total) * 100}%`,
                  width: `max(2px, ${(span.durationMs / total) * 100}%)`,
                }}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

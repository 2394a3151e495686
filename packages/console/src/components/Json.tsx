/** A value as indented JSON, collapsed behind a summary when long. */
export function Json({ value, open = false }: { value: unknown; open?: boolean }) {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  if (text.length < 120 || open) return <pre className="json">{text}</pre>;
  return (
    <details>
      <summary className="mono">{text.replace(/\s+/g, ' ').slice(0, 100)}…</summary>
      <pre className="json">{text}</pre>
    </details>
  );
}

import { useEffect, useState } from 'react';

/** A TTL attribute (epoch seconds) as the time left before DynamoDB may delete the item. */
export function TtlCountdown({ epochSeconds }: { epochSeconds: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.round(epochSeconds - now / 1000);
  const at = new Date(epochSeconds * 1000).toISOString();
  if (left <= 0) {
    return (
      <span className="ttl expired" title={at} data-testid="ttl">
        expired {formatSpan(-left)} ago
      </span>
    );
  }
  return (
    <span className="ttl" title={at} data-testid="ttl">
      in {formatSpan(left)}
    </span>
  );
}

function formatSpan(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

export const clock = (at: number | string): string => {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toISOString().slice(11, 23);
};

export const ms = (durationMs: number): string =>
  durationMs >= 1000 ? `${(durationMs / 1000).toFixed(2)} s` : `${durationMs.toFixed(durationMs < 10 ? 2 : 1)} ms`;

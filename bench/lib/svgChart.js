// A line chart as a standalone SVG string, no dependencies: one or more series of (x, y) points, optional
// logarithmic axes, a legend. Enough for the report's scaling curves.
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const xml = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function ticks(min, max, log) {
  if (log) {
    const out = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min / 1.0001 && v <= max * 1.0001) out.push(v);
      }
    }
    return out;
  }
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const out = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v) =>
  v >= 1e6 ? `${+(v / 1e6).toPrecision(3)}M` : v >= 1e3 ? `${+(v / 1e3).toPrecision(3)}k` : `${+v.toPrecision(3)}`;

/**
 * @param {{ title: string, xLabel: string, yLabel: string, xLog?: boolean, yLog?: boolean,
 *   series: Array<{ name: string, points: Array<[number, number]> }> }} chart
 */
export function svgChart({ title, xLabel, yLabel, xLog = false, yLog = false, series }) {
  const width = 760;
  const height = 440;
  const m = { left: 80, right: 230, top: 40, bottom: 55 };
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [yLog ? Math.min(...ys) : 0, Math.max(...ys)];
  if (!all.length) [x0, x1, y0, y1] = [1, 10, 1, 10];
  if (x0 === x1) [x0, x1] = [x0 / 2 || 0, x1 * 2 || 1];
  if (y0 === y1) [y0, y1] = [y0 / 2, y1 * 2 || 1];
  if (yLog) [y0, y1] = [10 ** Math.floor(Math.log10(y0)), 10 ** Math.ceil(Math.log10(y1))];
  else y1 *= 1.08;
  const f = (log) => (v) => (log ? Math.log10(v) : v);
  const fx = f(xLog);
  const fy = f(yLog);
  const px = (v) => m.left + ((fx(v) - fx(x0)) / (fx(x1) - fx(x0))) * (width - m.left - m.right);
  const py = (v) => height - m.bottom - ((fy(v) - fy(y0)) / (fy(y1) - fy(y0))) * (height - m.top - m.bottom);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${xml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="22" font-size="15" font-weight="bold">${xml(title)}</text>`,
  ];
  for (const t of ticks(x0, x1, xLog)) {
    const x = px(t).toFixed(1);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${m.top}" y2="${height - m.bottom}" stroke="#eee"/>`,
      `<text x="${x}" y="${height - m.bottom + 16}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (const t of ticks(y0, y1, yLog)) {
    const y = py(t);
    out.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#eee"/>`,
      `<text x="${m.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${label(t)}</text>`,
    );
  }
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#999"/>`,
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 14}" text-anchor="middle">${xml(xLabel)}${xLog ? ' (log)' : ''}</text>`,
    `<text transform="translate(18 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${xml(yLabel)}${yLog ? ' (log)' : ''}</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!yLog || y > 0));
    if (pts.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
      );
    }
    for (const [x, y] of pts)
      out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${color}"/>`);
    const ly = m.top + 10 + i * 20;
    out.push(
      `<line x1="${width - m.right + 15}" x2="${width - m.right + 35}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${width - m.right + 40}" y="${ly + 4}">${xml(s.name)}${pts.length ? '' : ' (failed)'}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

// The benchmark's chart as a hand-written SVG: time against N, both axes logarithmic,
// one line per tool.

const COLORS = [
  '#d62728',
  '#ff7f0e',
  '#1f77b4',
  '#17becf',
  '#7f7f7f',
  '#9467bd',
  '#2ca02c',
  '#8c564b',
];
const W = 820;
const H = 440;
const M = { left: 64, right: 340, top: 28, bottom: 48 };

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function chartSvg(results) {
  const series = Object.entries(results.tools)
    .map(([id, t]) => ({
      id,
      label: t.label,
      points: Object.entries(t.points).map(([n, p]) => [Number(n), p.median, p.timedOut]),
    }))
    .filter((s) => s.points.length);
  const ns = series.flatMap((s) => s.points.map(([n]) => n));
  const ts = series.flatMap((s) => s.points.map(([, t]) => t));
  const x0 = Math.log10(Math.min(...ns));
  const x1 = Math.log10(Math.max(...ns));
  const y0 = Math.floor(Math.log10(Math.min(...ts)));
  const y1 = Math.ceil(Math.log10(Math.max(...ts)));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (n) => M.left + (x1 === x0 ? pw / 2 : ((Math.log10(n) - x0) / (x1 - x0)) * pw);
  const y = (t) => M.top + ph - ((Math.log10(t) - y0) / (y1 - y0)) * ph;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="18" font-size="14" font-weight="bold">Whole-process time against N workloads (log-log, median)</text>`,
  ];
  for (let e = y0; e <= y1; e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t > 10 ** y1) break;
      const yy = y(t).toFixed(1);
      const major = m === 1;
      out.push(
        `<line x1="${M.left}" x2="${M.left + pw}" y1="${yy}" y2="${yy}" stroke="${major ? '#ccc' : '#eee'}"/>`,
        `<text x="${M.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#555">${t >= 1 ? t : t.toPrecision(1)} s</text>`,
      );
    }
  }
  for (const n of [...new Set(ns)].sort((a, b) => a - b)) {
    const xx = x(n).toFixed(1);
    out.push(
      `<line x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + ph}" stroke="#ddd"/>`,
      `<text x="${xx}" y="${M.top + ph + 18}" text-anchor="middle" fill="#555">${n}</text>`,
    );
  }
  out.push(
    `<text x="${M.left + pw / 2}" y="${H - 10}" text-anchor="middle">N (Deployment + headless Service pairs)</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.sort((a, b) => a[0] - b[0]);
    const path = pts.map(([n, t]) => `${x(n).toFixed(1)},${y(t).toFixed(1)}`).join(' ');
    const width = s.id === 'retarget' ? 3 : 1.5;
    const dash = s.id.startsWith('floor') ? ' stroke-dasharray="5 3"' : '';
    out.push(
      `<polyline points="${path}" fill="none" stroke="${color}" stroke-width="${width}"${dash}/>`,
    );
    for (const [n, t, timedOut] of pts) {
      const [cx, cy] = [x(n).toFixed(1), y(t).toFixed(1)];
      // A run stopped at the time limit: the real time is higher (open marker, "stopped").
      out.push(
        timedOut
          ? `<circle cx="${cx}" cy="${cy}" r="4" fill="#fff" stroke="${color}" stroke-width="2"/><text x="${cx}" y="${Number(cy) - 8}" text-anchor="middle" fill="${color}">stopped</text>`
          : `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`,
      );
    }
    const ly = M.top + 10 + i * 20;
    const lx = M.left + pw + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="${width}"${dash}/>`,
      `<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${escape(s.label)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}

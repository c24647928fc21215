// Targets and the Markdown report of a benchmark run (docs/performance.md's table).

const FLOOR = 'floor-yaml';
const HYDRATE = 'retarget';

function point(results, id, n) {
  return results.tools[id]?.points[n];
}

function ratio(a, b) {
  return a === undefined || b === undefined || !b ? undefined : a / b;
}

function fmt(value, digits = 2) {
  return value === undefined || value === null ? 'n/a' : value.toFixed(digits);
}

/** Every target of issue 6, measured in this run: pass is true, false or null (not measured). */
export function checkTargets(results) {
  const t = (n, id = HYDRATE) => point(results, id, n)?.median;
  const targets = [];
  for (const n of [1000, 5000]) {
    const value = ratio(t(n), t(n, FLOOR));
    targets.push({
      name: `retarget hydrate <= 1.0x the yaml floor at N = ${n}`,
      value,
      limit: 1.0,
      unit: 'x',
      pass: value === undefined ? null : value <= 1.0,
    });
  }
  // Issue 16: every stage on (systemd drop-in) <= 0.9x, + preflight <= 1.2x, KRM <= 1.0x.
  for (const [id, what, limit] of [
    ['retarget-full', 'retarget hydrate, every stage on (systemd drop-in)', 0.9],
    ['retarget-preflight', 'retarget hydrate, every stage + preflight', 1.2],
    ['retarget-krm', 'retarget-hydrate (KRM, kpt fn source list)', 1.0],
  ]) {
    for (const n of [1000, 5000]) {
      const value = ratio(t(n, id), t(n, FLOOR));
      targets.push({
        name: `${what} <= ${limit}x the yaml floor at N = ${n}`,
        value,
        limit,
        unit: 'x',
        pass: value === undefined ? null : value <= limit,
      });
    }
  }
  const speedup = ratio(t(1000, 'kustomize'), t(1000));
  targets.push({
    name: 'retarget hydrate >= 10x faster than kubectl kustomize at N = 1000',
    value: speedup,
    limit: 10,
    unit: 'x faster',
    pass: speedup === undefined ? null : speedup >= 10,
  });
  const growth = ratio(t(5000), t(1000));
  targets.push({
    name: 'retarget hydrate time(5000) / time(1000) <= 5.5',
    value: growth,
    limit: 5.5,
    unit: '',
    pass: growth === undefined ? null : growth <= 5.5,
  });
  const base = results.startup["node -e ''"]?.median;
  const functions = Object.entries(results.startup).filter(([id]) => id.startsWith('retarget'));
  const slowest = functions.reduce(
    (worst, [id, s]) => (!worst || s.median > worst[1].median ? [id, s] : worst),
    undefined,
  );
  const startup = slowest && ratio(slowest[1].median, base);
  targets.push({
    name: `start-up of every bundled function <= 2x node -e '' (slowest: ${slowest?.[0] ?? 'n/a'})`,
    value: startup,
    limit: 2,
    unit: 'x',
    pass: startup === undefined ? null : startup <= 2,
  });
  for (const [name, shape] of Object.entries(results.shapes ?? {})) {
    // The net slope (start-up subtracted) is the stricter: a fixed cost flattens the raw one.
    const value = Math.max(shape.slope, shape.netSlope);
    targets.push({
      name: `time against size, ${name} (${shape.unit}): log-log slope <= 1.1`,
      value,
      limit: 1.1,
      unit: '',
      pass: shape.timedOut ? false : value <= 1.1,
    });
  }
  const rss = ratio(
    point(results, HYDRATE, 5000)?.peakRssMB,
    point(results, FLOOR, 5000)?.peakRssMB,
  );
  targets.push({
    name: 'retarget hydrate peak RSS at N = 5000 <= 2x the floor',
    value: rss,
    limit: 2,
    unit: 'x',
    pass: rss === undefined ? null : rss <= 2,
  });
  return targets;
}

export function markdown(results) {
  const sizes = results.options.sizes;
  const lines = [];
  const runs = results.options.runs;
  lines.push(
    `Whole-process wall time, median of ${runs} run${runs === 1 ? '' : 's'} (a tool slower than ${results.options.slowSeconds} s: one run, stopped after ${results.options.maxSeconds} s); × = against the yaml floor at the same N.`,
    '',
    `| tool | ${sizes.map((n) => `N = ${n}`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
  );
  for (const tool of Object.values(results.tools)) {
    const cells = sizes.map((n) => {
      const p = tool.points[n];
      if (!p) return 'n/a';
      const x = ratio(p.median, point(results, FLOOR, n)?.median);
      if (p.timedOut) return `> ${fmt(p.median, 0)} s (> ${fmt(x, 0)}×)`;
      return `${fmt(p.median, 3)} s (${fmt(x)}×)`;
    });
    lines.push(`| ${tool.label} | ${cells.join(' | ')} |`);
  }
  const kustomize = sizes
    .map((n) => [
      n,
      ratio(point(results, 'kustomize', n)?.median, point(results, HYDRATE, n)?.median),
      point(results, 'kustomize', n)?.timedOut ? 'over ' : '',
    ])
    .filter(([, x]) => x !== undefined);
  if (kustomize.length) {
    const speedups = kustomize.map(([n, x, over]) => `${over}${fmt(x, 1)}× (N = ${n})`);
    lines.push('', `retarget hydrate is ${speedups.join(', ')} faster than \`kubectl kustomize\`.`);
  }
  const big = sizes[sizes.length - 1];
  const rssRows = Object.entries(results.tools).filter(([, t]) => t.points[big]?.peakRssMB);
  if (rssRows.length) {
    const floorRss = point(results, FLOOR, big)?.peakRssMB;
    lines.push('', `| peak RSS at N = ${big} | MB | × floor |`, '|---|---:|---:|');
    for (const [, t] of rssRows) {
      const mb = t.points[big].peakRssMB;
      lines.push(`| ${t.label} | ${fmt(mb, 0)} | ${fmt(ratio(mb, floorRss))}× |`);
    }
  }
  const base = results.startup["node -e ''"]?.median;
  lines.push(
    '',
    `| start-up, one resource (median of ${results.options.startupRuns}) | ms | × \`node -e ''\` |`,
    '|---|---:|---:|',
  );
  for (const [id, s] of Object.entries(results.startup)) {
    lines.push(`| ${id} | ${fmt(s.median * 1000, 0)} | ${fmt(ratio(s.median, base))}× |`);
  }
  const shapes = Object.entries(results.shapes ?? {});
  if (shapes.length) {
    lines.push(
      '',
      `| shape (retarget hydrate, full config; median of ${runs}) | sizes | seconds | slope | net of start-up | peak RSS slope |`,
      '|---|---|---|---:|---:|---:|',
    );
    for (const [name, s] of shapes) {
      const seconds = s.points.map((p) =>
        p.timedOut ? `> ${fmt(p.median, 0)}` : fmt(p.median, 3),
      );
      lines.push(
        `| ${name} (${s.unit}) | ${s.points.map((p) => p.size).join(', ')} | ${seconds.join(', ')} | ${fmt(s.slope)} | ${fmt(s.netSlope)} | ${fmt(s.rssSlope)} |`,
      );
    }
  }
  lines.push('', '| target | measured | result |', '|---|---:|---|');
  for (const t of results.targets) {
    const verdict = t.pass === null ? 'not measured' : t.pass ? 'PASS' : 'FAIL';
    lines.push(`| ${t.name} | ${fmt(t.value)}${t.unit ? ` ${t.unit}` : ''} | ${verdict} |`);
  }
  const m = results.machine;
  lines.push(
    '',
    `${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.kpt ? `kpt ${m.kpt}` : 'no kpt'}, ${m.kubectl ?? 'no kubectl'}; load average ${m.loadavgAtStart.join(' ')} at start, ${m.loadavgAtEnd.join(' ')} at end; ${results.date}.`,
    '',
  );
  return lines.join('\n');
}

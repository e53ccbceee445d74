/**
 * One view per result kind, from seeded results the engines made: the sections each kind shows,
 * rows carrying the result's own numbers, and the chart data the HTML page draws. The serializers
 * are tested on the same views: a row of the view is a row of the text, Markdown and HTML output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Result, SweepResult, SweepRun } from '../../src/model/results.js';
import { fmtInt, fmtPct, fmtUsd } from '../../src/report/format.js';
import { renderResult } from '../../src/report/render.js';
import type { Block, Chart, LineChart, ScatterChart, Section, TableBlock, View } from '../../src/report/view.js';
import { viewOf } from '../../src/report/views.js';
import { paramHeadings } from '../../src/report/views/sweep.js';
import { bucketLabel } from '../../src/report/views/trace-stats.js';
import { allKinds } from './kinds.js';

const section = (v: View, id: string): Section => {
  const s = v.sections.find((x) => x.id === id);
  assert.ok(s, `section ${id} in ${v.sections.map((x) => x.id).join(', ')}`);
  return s;
};
const tables = (s: Section) => s.blocks.filter((b): b is TableBlock => b.type === 'table');
const charts = (s: Section) => s.blocks.flatMap((b: Block) => (b.type === 'chart' ? [b.chart] : []));
const chartOf = <T extends Chart['type']>(s: Section, type: T) => {
  const c = charts(s).find((x) => x.type === type);
  assert.ok(c, `a ${type} chart in ${s.id}`);
  return c as Extract<Chart, { type: T }>;
};
/** The row of `t` whose first cell is `first`. */
const row = (t: TableBlock, first: string) => {
  const r = t.rows.find((x) => x[0] === first);
  assert.ok(r, `row ${first} in ${t.rows.map((x) => x[0]).join(', ')}`);
  return r;
};

test('simulate: tiers with one total row, latency, staleness, cost, bills; charts from the result', async () => {
  const { simulate: r } = await allKinds();
  const v = viewOf(r);
  assert.deepEqual(v.sections.map((s) => s.id), ['tiers', 'latency', 'llm-calls', 'staleness', 'cost', 'bills', 'memory', 'semantic']);
  const [tiers] = tables(section(v, 'tiers'));
  for (const t of r.tiers) assert.deepEqual(row(tiers, t.name).slice(2, 6), [fmtInt(t.lookups), fmtInt(t.hits), fmtPct(t.hitRate), fmtPct(t.share)]);
  assert.deepEqual(row(tiers, 'all').slice(2, 4), [fmtInt(r.requests), fmtInt(r.hits)]);
  assert.equal(tiers.rows.filter((x) => x[0] === 'all').length, 1, 'one total row');
  const bars = chartOf(section(v, 'tiers'), 'bars');
  assert.deepEqual(bars.groups.map((g) => g.bars[0]!.value), r.tiers.map((t) => t.hitRate));
  const lat = chartOf(section(v, 'latency'), 'percentiles');
  assert.equal(lat.series[0]!.histogram, r.latencyHistogram, 'the curve comes from the HDR histogram');
  assert.equal(row(tables(section(v, 'cost'))[0]!, 'total (incl. embeddings, infra)')[4], fmtUsd(r.cost.monthlyUsd));
  assert.deepEqual(v.kpis.map((k) => k.label), ['Hit rate', 'LLM hit rate', 'P99 latency', 'Monthly spend', 'Savings', 'Stale LLM answers', 'Stale conversation windows']);
});

test('bench: latency rows end to end, per op and per tier lookup; one curve per tier', async () => {
  const { bench: r } = await allKinds();
  const v = viewOf(r);
  const [lat] = tables(section(v, 'latency'));
  assert.deepEqual(lat.rows.map((x) => x[0]), ['end to end', 'op score', 'L1 lookup', 'L2 lookup', 'L3 lookup']);
  assert.deepEqual(chartOf(section(v, 'latency'), 'percentiles').series.map((s) => s.label), ['end to end', 'L1 lookup', 'L2 lookup', 'L3 lookup']);
  assert.deepEqual(row(tables(section(v, 'tiers'))[0]!, 'L3').slice(2, 6), ['2,000', '900', '1,100', '45.0%']);
  assert.deepEqual(section(v, 'warnings').blocks, [{ type: 'list', items: ['fixture warning: nothing to worry about'] }]);
});

test('bench --micro: one row per operation, in µs', async () => {
  const { benchMicro: r } = await allKinds();
  const [t] = tables(section(viewOf(r), 'operations'));
  assert.deepEqual(row(t, 'Redis GET x50 concurrent, auto-pipelining'), ['Redis GET x50 concurrent, auto-pipelining', '50', '410.0', '450.0', '900.0', '±1.70%', '1,200']);
  assert.deepEqual(row(t, 'L1 get (in-process store)').slice(2, 5), ['0.12', '0.10', '0.40']);
});

test('sweep: the Pareto front as a trade-off chart with the recommended point marked, every run a row', async () => {
  const { sweep: r } = await allKinds();
  const v = viewOf(r);
  const front = section(v, 'pareto');
  const stale: ScatterChart = charts(front).find((c): c is ScatterChart => c.type === 'scatter' && c.id === 'pareto-stale')!;
  const falseHits: ScatterChart = charts(front).find((c): c is ScatterChart => c.type === 'scatter' && c.id === 'pareto-false-hits')!;
  assert.ok(stale && falseHits, 'spend vs stale rate, and vs false-hit rate (a semantic tier is swept)');
  assert.deepEqual(falseHits.points.map((p) => p.x), r.runs.map((x) => x.objectives.monthlyUsd));
  assert.deepEqual(falseHits.points.map((p) => p.y), r.runs.map((x) => x.objectives.falseHitRate));
  assert.deepEqual(falseHits.points.map((p) => p.front), r.runs.map((x) => r.pareto.some((p) => p.params['L3.threshold'] === x.params['L3.threshold'])));
  assert.ok(r.recommended, 'the seeded sweep has a recommendation');
  assert.deepEqual(falseHits.points.filter((p) => p.recommended).map((p) => p.label), [`L3.threshold=${r.recommended.params['L3.threshold']}`]);
  assert.equal(falseHits.budget?.y, 0.01);
  const [frontTable] = tables(front);
  assert.equal(frontTable.rows.length, r.pareto.length);
  assert.equal(frontTable.rows.filter((x) => x.at(-1) === 'RECOMMENDED').length, 1);
  const [runs] = tables(section(v, 'runs'));
  assert.deepEqual(runs.rows.map((x) => x[0]), ['0.8', '0.9', '0.99']);
  assert.deepEqual(runs.rows.map((x) => x[1]), r.runs.map((x) => fmtUsd(x.objectives.monthlyUsd)));
});

test('sweep: the text fits 100 columns (objectives, then savings and hits); the values are the runs\' own', async () => {
  const { sweep: r } = await allKinds();
  const text = renderResult(r, 'table');
  const widest = Math.max(...text.split('\n').map((l) => l.length));
  assert.ok(widest <= 100, `widest line ${widest} columns:\n${text}`);
  const v = viewOf(r);
  const [objectives] = tables(section(v, 'runs'));
  const [spend] = tables(section(v, 'runs-spend'));
  assert.deepEqual(objectives.head, ['threshold', 'USD/month', 'False-hit rate', 'Stale rate', 'Leaks', 'Front']);
  assert.deepEqual(spend.head, ['threshold', 'Saved', 'LLM bill w/ prompt cache', 'Hit rate', 'Sem. hits', 'False hits']);
  r.runs.forEach((run, i) => {
    assert.deepEqual(objectives.rows[i], [String(run.params['L3.threshold']), fmtUsd(run.objectives.monthlyUsd), fmtPct(run.objectives.falseHitRate, 2), fmtPct(run.objectives.staleRate, 2), fmtInt(run.objectives.leaks), objectives.rows[i]!.at(-1)!]);
    assert.deepEqual(spend.rows[i]!.slice(4), [fmtInt(run.result.semantic!.hits), fmtInt(run.result.semantic!.falseHits)]);
    assert.equal(spend.rows[i]![2], fmtUsd(run.result.cost.bills!.stack.monthlyUsd));
  });
  assert.ok(section(v, 'pareto').blocks.some((b) => b.type === 'note' && b.text === 'Parameters: threshold = L3.threshold.'), 'the legend names the shortened heading');
  assert.ok(!v.sections.some((s) => s.id === 'classes'), 'no class table without --by-class');
});

test('sweep: three long parameter paths and --by-class still fit 120 columns, one row per configuration and class', async () => {
  const { sweep: base } = await allKinds();
  const widen = (run: SweepRun): SweepRun => ({
    ...run,
    params: { 'L3.adaptiveTtl.exponent': 1, 'L3.adaptiveTtl.maxFactor': 4, 'L3.threshold': run.params['L3.threshold']! },
    classes: {
      response: { ops: ['response'], workSaved: 0.25, hits: 10, staleRate: 0.125, ageMs: { p50: 1500, p99: 7_200_000, max: 9_000_000 } },
      market: { ops: ['market'], workSaved: 0.5, hits: 4, staleRate: 0 },
    },
  });
  const r: SweepResult = { ...base, runs: base.runs.map(widen), pareto: base.pareto.map(widen), recommended: base.recommended && widen(base.recommended) };
  const text = renderResult(r, 'table');
  const widest = Math.max(...text.split('\n').map((l) => l.length));
  assert.ok(widest <= 120, `widest line ${widest} columns:\n${text}`);
  const v = viewOf(r);
  const [classes] = tables(section(v, 'classes'));
  assert.deepEqual(classes.head, ['exponent', 'maxFactor', 'threshold', 'Class', 'Work saved', 'Stale rate', 'Age P50', 'Age P99']);
  assert.equal(classes.rows.length, r.runs.length * 2);
  assert.deepEqual(classes.rows[0], ['1', '4', String(base.runs[0]!.params['L3.threshold']), 'response', '25.0%', '12.50%', '1.5 s', '2.0 h']);
  assert.deepEqual(classes.rows[1]!.slice(3), ['market', '50.0%', '0.00%', '–', '–']);
  assert.ok(
    section(v, 'pareto').blocks.some((b) => b.type === 'note' && b.text === 'Parameters: exponent = L3.adaptiveTtl.exponent, maxFactor = L3.adaptiveTtl.maxFactor, threshold = L3.threshold.'),
    'the legend names every shortened heading, not the whole ones',
  );
});

test('sweep: a parameter heading is the shortest tail of its path no other swept parameter ends with', () => {
  assert.deepEqual(paramHeadings(['L1.capacity', 'L2.capacity', 'L3.adaptiveTtl.maxFactor', 'invalidation']), ['L1.capacity', 'L2.capacity', 'maxFactor', 'invalidation']);
  assert.deepEqual(paramHeadings(['L2.ttl.score_frs', 'L2.ttl.score_pcs']), ['score_frs', 'score_pcs']);
  assert.deepEqual(paramHeadings(['a.L2.ttl', 'b.L2.ttl', 'c.L3.ttl']), ['a.L2.ttl', 'b.L2.ttl', 'L3.ttl']);
  assert.deepEqual(paramHeadings(['scenario']), ['scenario']);
});

test('replay: miss ratio of every cache, one curve per policy, OPT as the bound beneath', async () => {
  const { replay: r } = await allKinds();
  const s = section(viewOf(r), 'curves');
  const curves = chartOf(s, 'lines');
  assert.deepEqual(curves.series.map((x) => x.label), ['lru', 'fifo', 'sieve', 'opt (Belady, lower bound)']);
  assert.deepEqual(curves.series.map((x) => x.bound === true), [false, false, false, true]);
  const opt = curves.series[3]!.points;
  for (const other of curves.series.slice(0, 3)) other.points.forEach((p, i) => assert.ok(opt[i]!.y <= p.y, `OPT beneath ${other.label} at ${p.x}`));
  const [t] = tables(s);
  assert.equal(t.rows.length, r.results.length);
  assert.deepEqual(t.rows[0], ['lru', '50', '20,000', fmtInt(r.results[0]!.misses), fmtPct(r.results[0]!.missRatio, 2), fmtInt(r.results[0]!.reqPerSec)]);
});

test('mrc: every policy\'s curve and the exact LRU curve by capacity, OPT beneath them', async () => {
  const { mrc: r } = await allKinds();
  const s = section(viewOf(r), 'curves');
  const curves: LineChart = chartOf(s, 'lines');
  assert.deepEqual(curves.series.map((x) => x.label), ['lru (exact)', 'opt (Belady, lower bound)', 'fifo', 'sieve']);
  assert.deepEqual(curves.series[0]!.points, r.exact!.map((p) => ({ x: p.capacity, y: p.missRatio })));
  assert.equal(curves.xLog, true, 'log-spaced capacities on a log axis');
  const opt = curves.series.find((x) => x.bound)!;
  for (const other of curves.series.filter((x) => !x.bound)) other.points.forEach((p, i) => assert.ok(opt.points[i]!.y <= p.y + 1e-12, `OPT ≤ ${other.label} at ${p.x}`));
  const [t] = tables(s);
  assert.deepEqual(t.head, ['Capacity (entries)', 'lru (exact)', 'opt (Belady, lower bound)', 'fifo', 'sieve']);
  assert.equal(t.rows.length, r.exact!.length);
});

test('gate: the verdict, the failing metric first, the verdict table', async () => {
  const { gate: v } = await allKinds();
  const view = viewOf(v);
  assert.deepEqual(view.status, { level: 'fail', label: 'FAIL' });
  assert.ok(view.alerts.some((a) => /^FAIL: L2 lookup p50 \+\d\d\.\d %/.test(a)), view.alerts.join('\n'));
  const [t] = tables(section(view, 'verdict'));
  assert.deepEqual(t.head, ['Metric', 'Stat', 'Baseline µs', 'Current µs', 'Change', 'p', 'Conf.', 'n/trial', 'Status']);
  assert.equal(t.rows.length, v.metrics.length);
  assert.equal(row(t, 'L2 lookup')[8], 'FAIL');
  assert.equal(section(view, 'verdict').fold, false, 'a failing verdict table is not folded away');
});

test('trace stats: the depth mix, reuse-distance and inter-arrival histograms, key popularity', async () => {
  const { traceStats: s } = await allKinds();
  const v = viewOf(s);
  assert.deepEqual(v.sections.map((x) => x.id), ['depth', 'reuse', 'inter-arrival', 'ops', 'popularity']);
  const depth = chartOf(section(v, 'depth'), 'bars');
  assert.deepEqual(depth.groups.map((g) => [g.label, g.bars[0]!.value]), Object.entries(s.accessDepth));
  const reuse = chartOf(section(v, 'reuse'), 'bars');
  assert.deepEqual(reuse.groups.map((g) => g.bars[0]!.value), s.reuseDistance.buckets.map((b) => b.fraction));
  const gaps = charts(section(v, 'inter-arrival')).map((c) => c.id);
  assert.deepEqual(gaps, ['inter-arrival', 'message-gaps']);
  const arrivals = chartOf(section(v, 'inter-arrival'), 'bars');
  assert.equal(arrivals.groups.reduce((a, g) => a + Number(g.bars[0]!.text.match(/\(([\d,]+)\)/)![1]!.replace(/,/g, '')), 0), s.interArrivalMs.count, 'every gap in a bucket');
  for (const g of arrivals.groups) assert.match(g.label, /^(< \d+ [a-z]+|\d+( [a-z]+)?–\d+ [a-z]+)$/, 'whole numbers of a unit, never "4.1 s"');
  assert.deepEqual(section(v, 'popularity').blocks[0], { type: 'note', text: `Zipf exponent ${s.popularity.zipf!.exponent.toFixed(3)} (R² ${s.popularity.zipf!.r2.toFixed(3)}, fitted on ${s.popularity.zipf!.points} log-spaced ranks).` });
});

test('trace stats: a gap bucket is labelled with both bounds exact, the unit once when they share it', () => {
  const label = (fromMs: number, toMs: number) => bucketLabel({ fromMs, toMs, count: 1, fraction: 1 });
  assert.equal(label(0, 1), '< 1 ms');
  assert.equal(label(1, 2), '1–2 ms');
  assert.equal(label(500, 1000), '500 ms–1 s');
  assert.equal(label(20_000, 30_000), '20–30 s');
  assert.equal(label(30_000, 60_000), '30 s–1 min');
  assert.equal(label(3_600_000, 7_200_000), '1–2 h');
  assert.equal(label(43_200_000, 86_400_000), '12 h–1 d');
  assert.equal(label(500 * 86_400_000, 1000 * 86_400_000), '500–1,000 d');
  assert.equal(label(4096, 8192), '4,096–8,192 ms', 'a power-of-two bound of an older result file is exact too, not "4.1 s–8.2 s"');
});

test('every kind renders in every format, and a row of the view is a row of each format', async () => {
  const kinds = await allKinds();
  for (const [name, r] of Object.entries(kinds) as [string, Result][]) {
    const v = viewOf(r);
    const first = v.sections.flatMap(tables)[0];
    assert.ok(first, `${name} has a table`);
    const cells = first.rows[0]!;
    const text = renderResult(r, 'table');
    assert.ok(text.split('\n').some((l) => cells.every((c) => l.includes(c))), `${name}: text row ${cells.join(' | ')}`);
    assert.ok(renderResult(r, 'markdown').includes(`| ${cells.join(' | ')} |`), `${name}: Markdown row`);
    assert.ok(renderResult(r, 'html').includes(`<tr>${cells.map((c, i) => `<td${i >= (first.textCols ?? 1) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`), `${name}: HTML row`);
  }
});

/**
 * Renders the HTML report in a real headless Chromium (see test/browser-helper.ts for where the
 * browser comes from) and asserts that the plots are laid out with real geometry and that hostile
 * names came through as text. The page has no script of its own, so the test appends a probe script
 * (and drops the page's CSP, which would block it) that measures the SVG elements and writes its
 * findings into the DOM.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Result } from '../../src/model/results.js';
import { renderResult } from '../../src/report/render.js';
import { closeBrowser, textAfterLoad } from '../browser-helper.js';
import { tempDir } from '../tmp-helper.js';
import { benchFixture, simulateFixture } from './fixtures.js';
import { allKinds } from './kinds.js';

const { file: writeFile } = tempDir('llmcache-chromium-');
after(closeBrowser);

const PROBE = `<script>
const out = { scripts: document.scripts.length, title: document.title, h1: document.querySelector('h1').textContent, plots: {} };
for (const svg of document.querySelectorAll('svg.chart')) {
  const box = svg.getBoundingClientRect();
  out.plots[svg.id] = {
    width: box.width, height: box.height,
    curves: [...svg.querySelectorAll('path.series')].map((p) => ({ series: p.dataset.series, length: p.getTotalLength(), height: p.getBBox().height })),
    bars: [...svg.querySelectorAll('rect.bar:not(.legend-swatch)')].map((r) => r.getBBox().width),
    points: [...svg.querySelectorAll('circle.curve-point, circle.point, circle.recommended')].map((c) => {
      const b = c.getBBox();
      return { cls: c.getAttribute('class'), series: (c.querySelector('title')?.textContent ?? '').split(':')[0], x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }),
    dashed: [...svg.querySelectorAll('path.series')].filter((p) => getComputedStyle(p).strokeDasharray !== 'none').map((p) => p.dataset.series),
  };
}
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>`;

interface Probe {
  scripts: number;
  title: string;
  h1: string;
  plots: Record<
    string,
    {
      width: number;
      height: number;
      curves: { series: string; length: number; height: number }[];
      bars: number[];
      points: { cls: string; series: string; x: number; y: number }[];
      dashed: string[];
    }
  >;
}

/** Render `result`, load it in headless Chromium and return what the probe saw. */
async function probe(result: Result, name: string): Promise<Probe> {
  const html = renderResult(result, 'html')
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
    .replace('</body>', `${PROBE}\n</body>`);
  const file = writeFile(`${name}.html`, html);
  return JSON.parse(await textAfterLoad(pathToFileURL(file).href, '#probe')) as Probe;
}

const HOSTILE = 'evil <script>document.title="pwned"</script> & co';

test('simulate report in headless Chromium: plots are laid out, names are text', { timeout: 60_000 }, async () => {
  const p = await probe(simulateFixture({ name: HOSTILE, hostileOp: '<script>alert(1)</script>' }), 'simulate');
  assert.equal(p.scripts, 1, 'only the probe script: the names did not become script elements');
  assert.equal(p.h1, `Cache simulation: ${HOSTILE}`);
  assert.equal(p.title, `llmcache simulate: ${HOSTILE}`);
  assert.deepEqual(Object.keys(p.plots).sort(), ['cost-plot', 'latency-plot', 'staleness-plot', 'tier-hits']);
  for (const [id, plot] of Object.entries(p.plots)) {
    assert.ok(plot.width > 600 && plot.height > 100, `${id} has a real size: ${plot.width}x${plot.height}`);
  }
  const [curve] = p.plots['latency-plot'].curves;
  assert.ok(curve.length > 500, `latency curve drawn (${curve.length}px long)`);
  assert.ok(curve.height > 150, `and spans the log axis (${curve.height}px)`);
  assert.equal(p.plots['tier-hits'].bars.length, 6, 'hit-rate and share bars for 3 tiers');
  assert.ok(p.plots['tier-hits'].bars.every((w) => w >= 1));
  const cost = p.plots['cost-plot'].bars;
  assert.ok(cost[1] < cost[0], 'cached spend bar shorter than the baseline bar');
  assert.equal(p.plots['staleness-plot'].bars.length, 5, 'one staleness bar per key class, the hostile one included');
});

test('bench report in headless Chromium: one latency curve per tier', { timeout: 60_000 }, async () => {
  const p = await probe(benchFixture({ name: HOSTILE }), 'bench');
  assert.equal(p.scripts, 1);
  assert.equal(p.h1, `Benchmark: ${HOSTILE}`);
  const curves = p.plots['latency-plot'].curves;
  assert.deepEqual(curves.map((c) => c.series), ['end to end', 'L1 lookup', 'L2 lookup', 'L3 lookup']);
  assert.ok(curves.every((c) => c.length > 300), 'every curve drawn');
  assert.equal(p.plots['tier-hits'].bars.length, 3);
});

test('mrc report in headless Chromium: each policy\'s curve drawn, OPT dashed and beneath them', { timeout: 60_000 }, async () => {
  const { mrc } = await allKinds();
  const p = await probe({ ...mrc, trace: HOSTILE }, 'mrc');
  assert.equal(p.scripts, 1);
  assert.equal(p.h1, `Miss-ratio curves: ${HOSTILE}`);
  const plot = p.plots['miss-ratio-curves'];
  assert.ok(plot.width > 600 && plot.height > 250, `a real size: ${plot.width}x${plot.height}`);
  assert.deepEqual(plot.curves.map((c) => c.series), ['opt (Belady, lower bound)', 'lru (exact)', 'fifo', 'sieve'], 'OPT drawn first, under the others');
  assert.ok(plot.curves.every((c) => c.length > 300 && c.height > 50), `every curve spans the plot: ${JSON.stringify(plot.curves)}`);
  assert.deepEqual(plot.dashed, ['opt (Belady, lower bound)']);
  const by = (series: string) => plot.points.filter((q) => q.series === series);
  const opt = by('opt (Belady, lower bound)');
  assert.equal(opt.length, mrc.exact!.length);
  for (const series of ['lru (exact)', 'fifo', 'sieve']) {
    const pts = by(series);
    assert.equal(pts.length, opt.length, series);
    pts.forEach((q, i) => {
      assert.ok(Math.abs(q.x - opt[i]!.x) < 0.5, `${series} point ${i} at the same capacity as OPT`);
      assert.ok(opt[i]!.y >= q.y - 0.5, `OPT at or beneath ${series} at point ${i}: ${opt[i]!.y} vs ${q.y} (screen y grows downwards)`);
    });
    assert.ok(pts.some((q, i) => opt[i]!.y > q.y + 5), `OPT visibly beneath ${series} somewhere`);
  }
});

test('sweep report in headless Chromium: the Pareto front joined, the recommended point ringed on it', { timeout: 60_000 }, async () => {
  const { sweep } = await allKinds();
  const p = await probe(sweep, 'sweep');
  const plot = p.plots['pareto-false-hits'];
  assert.ok(plot.width > 600 && plot.height > 250);
  assert.deepEqual(plot.curves.map((c) => c.series), ['Pareto front']);
  const ring = plot.points.filter((q) => q.cls === 'recommended');
  assert.equal(ring.length, 1, 'one recommended configuration');
  const under = plot.points.find((q) => q.cls?.includes('front-point') && Math.hypot(q.x - ring[0]!.x, q.y - ring[0]!.y) < 0.5);
  assert.ok(under, 'the ring is around a point of the front');
  assert.equal(plot.points.filter((q) => q.cls?.startsWith('point')).length, sweep.runs.length, 'a dot per configuration');
});

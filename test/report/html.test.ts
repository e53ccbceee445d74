import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderResult } from '../../src/report/render.js';
import type { Result } from '../../src/model/results.js';

const renderHtml = (r: Result) => renderResult(r, 'html');
import { percentileCurve } from '../../src/report/svg.js';
import { benchFixture, histogramOf, simulateFixture } from './fixtures.js';

const HOSTILE_NAME = 'evil <script>alert(1)</script> "quoted" & \'single\'';
const HOSTILE_OP = '<script>op()</script><img src=x onerror=alert(2)>';

/** The markup of the <svg> element with this id. */
function svg(html: string, id: string): string {
  const m = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html);
  assert.ok(m, `<svg id="${id}"> present`);
  return m[0];
}

test('the page is self-contained: no script, no external resource', () => {
  for (const html of [renderHtml(simulateFixture()), renderHtml(benchFixture())]) {
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(!/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i.test(html), 'nothing that loads or runs');
    const urls = html.match(/https?:\/\/[^\s"')]+/g) ?? [];
    assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg'], 'only the SVG namespace, which is never fetched');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  }
});

test('simulate page: latency curve from the HDR histogram, tier, cost and staleness plots', () => {
  const r = simulateFixture();
  const html = renderHtml(r);
  const plot = svg(html, 'latency-plot');
  const path = /<path class="series"[^>]* d="([^"]+)"/.exec(plot);
  assert.ok(path, 'a curve');
  assert.equal(path[1].split(/[ML]/).filter(Boolean).length, 121, 'sampled from the histogram, not the 5 percentile fields');
  assert.match(plot, />1 ms</, 'log-scale decade ticks');
  assert.match(plot, />99.9%</, 'percentile ticks on the nines scale');
  const tiers = svg(html, 'tier-hits');
  assert.equal((tiers.match(/<rect class="bar hit-rate"/g) ?? []).length, 3, 'one hit-rate bar per tier');
  const cost = svg(html, 'cost-plot');
  const widths = [...cost.matchAll(/<rect class="bar (baseline|cached)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])] as const);
  assert.equal(widths[0][0], 'baseline');
  assert.ok(widths[1][1] < widths[0][1] * 0.8 && widths[1][1] > widths[0][1] * 0.6, `cached bar is 72% of baseline: ${widths.slice(0, 2)}`);
  assert.match(html, /Stale LLM answers<\/[a-z]+>\s*<[^>]+>0\.77%/, 'headline card: LLM answers');
  assert.match(html, /Stale conversation windows<\/[a-z]+>\s*<[^>]+>0\.00%/, 'headline card: conversation windows apart');
  assert.match(html, /calls counted in the 30-day window; dollars projected to a 30-day month/);
  const stale = svg(html, 'staleness-plot');
  assert.equal((stale.match(/<rect class="bar stale"/g) ?? []).length, 4, 'one bar per key class');
  assert.match(html, /Prices: claude-article \$15 per 1M input tokens/);
});

test('bench page: one latency curve per tier plus end to end', () => {
  const html = renderHtml(benchFixture());
  const plot = svg(html, 'latency-plot');
  assert.deepEqual([...plot.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1]), ['end to end', 'L1 lookup', 'L2 lookup', 'L3 lookup']);
  assert.equal((svg(html, 'tier-hits').match(/<rect class="bar hit-rate"/g) ?? []).length, 3);
});

test('a missing or corrupt histogram falls back to the percentile fields', () => {
  const { p } = histogramOf(1000, 500, 1, 5);
  const pts = percentileCurve('not base64 at all', p, 1);
  assert.deepEqual(pts.map((x) => x.us), [p.p50, p.p95, p.p99, p.p999, p.max]);
  const r = simulateFixture();
  r.latencyHistogram = '';
  assert.match(svg(renderHtml(r), 'latency-plot'), /<path class="series"[^>]* d="M[\d.]+,[\d.]+ L/);
});

for (const [kind, make] of [
  ['simulate', () => simulateFixture({ name: HOSTILE_NAME, hostileOp: HOSTILE_OP })],
  ['bench', () => benchFixture({ name: HOSTILE_NAME, hostileOp: HOSTILE_OP })],
] as const) {
  test(`${kind} page escapes scenario and op names`, () => {
    const html = renderHtml(make());
    assert.ok(!/<script|<img/i.test(html), 'no injected element');
    assert.match(html, /<title>llmcache \w+: evil &lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;<\/title>/);
    assert.match(html, /&lt;script&gt;op\(\)&lt;\/script&gt;&lt;img src=x onerror=alert\(2\)&gt;/);
  });
}

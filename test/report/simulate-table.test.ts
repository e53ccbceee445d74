import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderResult } from '../../src/report/render.js';
import type { SimulateResult } from '../../src/model/results.js';

const renderSimulateTable = (r: SimulateResult) => renderResult(r, 'table');
import { simulateFixture } from './fixtures.js';

/** The cells of the table row whose first cell is `first`. */
function row(text: string, first: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`│ ${first} `));
  assert.ok(line, `row ${first} not found`);
  return line.split('│').slice(1, -1).map((c) => c.trim());
}

test('every section of the simulate table is there, with the numbers of the result', () => {
  const r = simulateFixture();
  const out = renderSimulateTable(r);
  for (const title of ['Tiers', 'Latency', 'LLM calls', 'Staleness by key class', 'Memory reads by depth', 'Semantic tier', 'Cost', 'Assumptions:']) {
    assert.ok(out.includes(title), `section ${title}`);
  }
  assert.deepEqual(row(out, 'L2'), ['L2', 'redis/shared', '248,250', '112,000', '45.1%', '35.4%', '152', '0']);
  assert.equal(row(out, 'score')[3], '2.05%', 'stale rate of score');
  assert.equal(row(out, 'score')[4], '1.6 min', 'age P50 of stale score hits');
  assert.deepEqual(row(out, 'bypassed: streaming').slice(1), ['4,500', '2.7%']);
  assert.deepEqual(row(out, 'bypassed: tool use').slice(1), ['2,250', '1.4%']);
  assert.deepEqual(row(out, 'LLM calls (misses + bypasses)').slice(1), ['104,000', '62.7%']);
  assert.deepEqual(row(out, 'recent10').slice(0, 5), ['recent10', '111,300', '74.2%', '40,000 (36%)', '71,300 (64%)']);
  assert.deepEqual(row(out, 'total (incl. embeddings, infra)').slice(3), ['$4,853', '$3,503']);
  assert.match(out, /savings 27\.8%/);
  assert.match(out, /Overall hit rate 67\.1% of all requests; LLM hit rate 37\.3% of LLM ops/);
  assert.match(out, /Prices: claude-article \$15 per 1M input tokens/);
});

test('latency percentiles are printed from the result, not recomputed', () => {
  const r = simulateFixture();
  r.latencyMs = { ...r.latencyMs, p50: 1.5, p95: 20, p99: 450, p999: 2500, max: 9000 };
  const out = renderSimulateTable(r);
  assert.deepEqual(row(out, 'all requests').slice(1, 6), ['1.50', '20.0', '450', '2,500', '9,000']);
});

test('fits a 100-column terminal and has no colour codes', () => {
  const out = renderSimulateTable(simulateFixture({ name: 'a fairly long scenario name for a multi-worker what-if run' }));
  for (const line of out.split('\n')) assert.ok([...line].length <= 100, `too wide (${[...line].length}): ${line}`);
  assert.ok(!out.includes('\u001b'), 'no ANSI escape codes');
});

test('the semantic block appears only with a semantic tier, and a leak is called out', () => {
  assert.ok(!renderSimulateTable(simulateFixture({ semantic: false })).includes('Semantic tier'));
  const r = simulateFixture();
  r.semantic = { ...r.semantic!, leaks: 3 };
  assert.match(renderSimulateTable(r), /WARNING: 3 semantic hits crossed a contact or tenant boundary/);
});

test('untrusted names cannot inject terminal escapes or break rows', () => {
  const out = renderSimulateTable(simulateFixture({ name: 'x\u001b]0;pwned\u0007\nline2', hostileOp: 'op\u001b[2J|\nnext' }));
  assert.ok(!out.includes('\u001b') && !out.includes('\u0007'));
  assert.ok(out.split('\n').some((l) => l.startsWith('│ op [2J| next ')), 'hostile op rendered on one line');
});

test('the cost table says which figures are the window and which the month', () => {
  const r = simulateFixture();
  r.cost.windowDays = 3;
  const out = renderSimulateTable(r);
  assert.match(out, /Cost \(calls counted in the 3-day window; dollars projected to a 30-day month\)/);
  assert.match(out, /│ Op +│ Calls no cache │ Calls cached │ \$\/mo no cache │ \$\/mo cached │/);
  r.cost.windowDays = 0.5;
  assert.match(renderSimulateTable(r), /calls counted in the 12\.0 h window/);
});

test('staleness says what each rate is a share of, and keeps answers apart from conversation windows', () => {
  const text = renderSimulateTable(simulateFixture());
  const out = text.replace(/\n {2}(?=\S)/g, ' '); // notes wrap at 100 columns, continuation lines indented
  assert.match(out, /Stale LLM answers 0\.77% \(532 of 69,000 hits\); stale conversation windows 0\.00% \(0 of 143,000 hits\)\./);
  assert.match(out, /Stale rate = stale hits \/ hits of that key class/);
  assert.match(out, /0 ms means it was served in the millisecond it was computed/);
  assert.equal(row(text, 'all classes')[2], '532', 'the mixed total is labelled as all classes');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOverrides, defaultScenario } from '../../src/config.js';
import { simulate } from '../../src/sim/engine.js';
import { fmtInt, fmtPct } from '../../src/report/format.js';
import { REPORT_FORMATS, renderResult } from '../../src/report/render.js';
import { asReportableResult } from '../../src/report/validate.js';
import type { SimulateResult } from '../../src/model/results.js';
import { benchFixture, simulateFixture } from './fixtures.js';

test('renderResult dispatches every format for both result kinds', () => {
  for (const r of [simulateFixture(), benchFixture()]) {
    const out = Object.fromEntries(REPORT_FORMATS.map((f) => [f, renderResult(r, f)]));
    assert.deepEqual(JSON.parse(out.json), r, 'json is the result itself');
    assert.match(out.table, new RegExp(`^llmcache ${r.kind} · seed-article\n`));
    assert.match(out.table, /│ L3 /);
    assert.match(out.markdown, new RegExp(`^### llmcache ${r.kind} · seed-article`));
    assert.match(out.html, /<svg id="latency-plot"/);
  }
  assert.throws(() => renderResult(simulateFixture(), 'pdf' as never), /unhandled report format: "pdf"/);
});

test('validation lists every missing or mistyped field with its path', () => {
  const r = simulateFixture() as unknown as Record<string, unknown>;
  const broken = structuredClone(r) as Record<string, any>;
  delete broken.latencyMs.p99;
  broken.tiers[1].hits = 'many';
  broken.cost.assumptions = 'none';
  assert.throws(
    () => asReportableResult(broken, 'x.json'),
    (e: Error) =>
      /x\.json: not a complete simulate result/.test(e.message) &&
      /latencyMs\.p99: expected number, got nothing/.test(e.message) &&
      /tiers\[1\]\.hits: expected number, got string/.test(e.message) &&
      /cost\.assumptions: expected array, got string/.test(e.message),
  );
  assert.throws(() => asReportableResult({ ...r, schema: 'llmcache/simulate@9' }, 'x.json'), /x\.json is a "llmcache\/simulate@9" document/);
  assert.throws(() => asReportableResult({ ...r, kind: 'bench' }, 'x.json'), /needs kind "simulate", found "bench"/);
  assert.throws(() => asReportableResult([], 'x.json'), /expected a JSON object, got array/);
  assert.equal(asReportableResult(benchFixture(), 'b.json').kind, 'bench');
});

test('a real seeded simulation renders in every format with its own numbers', () => {
  const scenario = applyOverrides(defaultScenario(), { leads: 40, days: 2, seed: 3 });
  scenario.name = 'real <b>run</b> | 1';
  const r: SimulateResult = JSON.parse(JSON.stringify(simulate(scenario)));
  asReportableResult(r, 'engine output');
  assert.ok(r.requests > 1000, `enough traffic (${r.requests} requests)`);

  const table = renderResult(r, 'table');
  for (const t of r.tiers) {
    const line = table.split('\n').find((l) => l.startsWith(`│ ${t.name} `));
    assert.ok(line, `tier ${t.name} row`);
    const cells = line.split('│').slice(1, -1).map((c) => c.trim());
    assert.deepEqual(cells.slice(2, 6), [fmtInt(t.lookups), fmtInt(t.hits), fmtPct(t.hitRate), fmtPct(t.share)]);
  }
  assert.ok(table.includes(`Overall hit rate ${fmtPct(r.hitRate)}`));
  assert.ok(table.includes('Assumptions:'));

  const md = renderResult(r, 'markdown');
  assert.ok(md.startsWith('### llmcache simulate · real &lt;b&gt;run&lt;/b&gt; \\| 1\n'));
  assert.ok(md.includes(`**Hit rate ${fmtPct(r.hitRate)}**`));

  const html = renderResult(r, 'html');
  assert.ok(!html.includes('<b>run'), 'scenario name escaped');
  const path = /<svg id="latency-plot"[\s\S]*?<path class="series"[^>]* d="([^"]+)"/.exec(html);
  assert.ok(path && path[1].split(/[ML]/).filter(Boolean).length > 100, 'curve decoded from the engine histogram');
  for (const id of ['tier-hits', 'cost-plot', 'staleness-plot']) assert.match(html, new RegExp(`<svg id="${id}"`));
});

/** The three bills in every report format, from one small seeded simulation. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOverrides, defaultScenario } from '../../src/config.js';
import { simulate } from '../../src/sim/engine.js';
import { renderResult } from '../../src/report/render.js';
import { fmtUsd } from '../../src/report/format.js';
import { benchFixture } from './fixtures.js';

const r = simulate(applyOverrides(defaultScenario(), { leads: 20, days: 2 }));
const b = r.cost.bills!;

test('the seed scenario: prompt caching alone saves, the tiers in front of it save more', () => {
  assert.ok(b.promptCacheOnly.monthlyUsd < b.noCache.monthlyUsd);
  assert.ok(b.stack.monthlyUsd < b.promptCacheOnly.monthlyUsd);
  // No caching pays input at the input price only; with caching the input splits three ways.
  assert.equal(b.noCache.byPart.cacheRead + b.noCache.byPart.cacheWrite, 0);
  assert.ok(b.promptCacheOnly.byPart.cacheRead > 0 && b.promptCacheOnly.byPart.cacheWrite > 0);
  // The market op's 600-token system prompt is under the 1,024-token minimum: never cached.
  assert.equal(b.promptCacheOnly.byOp.market!['claude-article']!.byPart.cacheRead, 0);
});

test('table, Markdown and HTML show the three bills with their parts and per op and model', () => {
  for (const format of ['table', 'markdown', 'html'] as const) {
    const out = renderResult(r, format);
    for (const name of ['no caching', 'prompt caching only', 'tiers + prompt caching', 'Cache write', 'Cache read', 'score · claude-article'])
      assert.ok(out.includes(name), `${format}: ${name}`);
    for (const bill of [b.noCache, b.promptCacheOnly, b.stack]) assert.ok(out.includes(fmtUsd(bill.monthlyUsd)), `${format}: ${fmtUsd(bill.monthlyUsd)}`);
    assert.match(out, /Provider prompt cache \(innermost tier\)/);
    assert.match(out, /ASSUMED: the whole workload/);
  }
});

test('a bench result carries the same three bills and the prompt cache: table, Markdown and HTML show them', () => {
  const bench = { ...benchFixture(), cost: { monthlyUsd: b.stack.monthlyUsd, windowDays: 2, bills: b, assumptions: [] }, promptCache: r.promptCache };
  for (const format of ['table', 'markdown', 'html'] as const) {
    const out = renderResult(bench, format);
    for (const name of ['no caching', 'prompt caching only', 'tiers + prompt caching', 'Cache write', 'Cache read']) assert.ok(out.includes(name), `${format}: ${name}`);
    for (const bill of [b.noCache, b.promptCacheOnly, b.stack]) assert.ok(out.includes(fmtUsd(bill.monthlyUsd)), `${format}: ${fmtUsd(bill.monthlyUsd)}`);
    assert.match(out, /Provider prompt cache \(innermost tier\)/);
    assert.match(out, /2,880\s+minutes\s+of\s+trace\s+time/);
  }
  // Without the model stage's figures (an older result), no bills section.
  assert.doesNotMatch(renderResult(benchFixture(), 'table'), /tiers \+ prompt caching/);
});

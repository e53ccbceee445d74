import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../../src/sim/engine.js';
import { requestsOf, smallArticle } from './helpers.js';

describe('cost reconciles', () => {
  it('baseline equals Σ tokens × price over the generated requests, scaled to 30 days', () => {
    const s = smallArticle({ days: 2 });
    s.ops.response!.tokensOut = 300;
    const names = Object.keys(s.ops);
    let usd = 0;
    let calls = 0;
    for (const ev of requestsOf(s)) {
      const op = s.ops[names[ev.op]!]!;
      if (op.kind !== 'llm') continue;
      const price = s.models[op.model]!;
      usd += (ev.tokensIn * price.inputPerMTok + ev.tokensOut * price.outputPerMTok) / 1e6;
      calls++;
    }
    const expectedMonthly = (usd * 30) / 2;
    const r = simulate(s);
    assert.equal(r.llmRequests, calls);
    assert.ok(Math.abs(r.cost.baselineMonthlyUsd - expectedMonthly) < 0.01, `${r.cost.baselineMonthlyUsd} vs ${expectedMonthly}`);
  });

  it('without prompt caching, cached spend is exactly the calls that reached the model', () => {
    const s = smallArticle();
    s.promptCache.ttl = 'off';
    const r = simulate(s);
    const price = s.models['claude-article']!.inputPerMTok;
    let usd = 0;
    for (const [name, op] of Object.entries(r.cost.byOp)) usd += (op.calls * s.ops[name]!.tokensIn * price) / 1e6;
    assert.ok(Math.abs(r.cost.monthlyUsd - (usd * 30) / s.workload.days) < 0.02);
    assert.equal(Object.values(r.cost.byOp).reduce((n, o) => n + o.calls, 0), r.llmCalls);
    assert.ok(r.cost.savingsPct > 0 && r.cost.savingsPct < 100);
  });

  it('the headline is the real bill: the stack bill (tiers + prompt cache) plus embeddings and infrastructure; the baseline is the noCache bill', () => {
    const s = smallArticle();
    const r = simulate(s);
    const c = r.cost;
    const b = c.bills!;
    assert.ok(b.stack.byPart.cacheRead > 0, 'the prompt cache reads in this workload');
    assert.equal(c.baselineMonthlyUsd, b.noCache.monthlyUsd);
    const embeddingsMonthly = (c.embeddingWindowUsd * 30) / c.windowDays;
    assert.ok(Math.abs(c.monthlyUsd - (b.stack.monthlyUsd + embeddingsMonthly + c.infraMonthlyUsd)) < 0.02, `${c.monthlyUsd} vs ${b.stack.monthlyUsd} + ${embeddingsMonthly} + ${c.infraMonthlyUsd}`);
    // Per op, the same bills.
    for (const [op, o] of Object.entries(c.byOp)) {
      const sum = (bill: typeof b.stack) => Object.values(bill.byOp[op] ?? {}).reduce((x, m) => x + m.monthlyUsd, 0);
      assert.ok(Math.abs(o.monthlyUsd - sum(b.stack)) < 0.011 && Math.abs(o.baselineMonthlyUsd - sum(b.noCache)) < 0.011, op);
    }
    assert.ok(Math.abs(c.savingsPct - (1 - c.monthlyUsd / c.baselineMonthlyUsd) * 100) < 0.01);
  });
});

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

  it('cached spend is exactly the calls that reached the model', () => {
    const s = smallArticle();
    const r = simulate(s);
    const price = s.models['claude-article']!.inputPerMTok;
    let usd = 0;
    for (const [name, op] of Object.entries(r.cost.byOp)) usd += (op.calls * s.ops[name]!.tokensIn * price) / 1e6;
    assert.ok(Math.abs(r.cost.monthlyUsd - (usd * 30) / s.workload.days) < 0.02);
    assert.equal(Object.values(r.cost.byOp).reduce((n, o) => n + o.calls, 0), r.llmCalls);
    assert.ok(r.cost.savingsPct > 0 && r.cost.savingsPct < 100);
  });
});

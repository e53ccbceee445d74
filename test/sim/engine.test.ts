import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../../src/sim/engine.js';
import { MEMORY_DEPTHS } from '../../src/trace/types.js';
import { requestsOf, smallArticle, unboundedStack } from './helpers.js';

describe('simulate: hits are earned by workload structure', () => {
  it('is deterministic: same seed, identical JSON; another seed, another result', () => {
    const a = JSON.stringify(simulate(smallArticle()));
    const b = JSON.stringify(simulate(smallArticle()));
    const c = JSON.stringify(simulate(smallArticle({ seed: 43 })));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('with every tier disabled, every cacheable request is a miss', () => {
    const s = smallArticle();
    s.tiers = s.tiers.map((t) => ({ ...t, enabled: false }));
    const r = simulate(s);
    assert.equal(r.hits, 0);
    assert.equal(r.llmCalls, r.llmRequests, 'every LLM request reaches the model');
    assert.equal(r.tiers.length, 0);
    // The provider prompt cache still serves: the real bill is the prompt-caching-only bill.
    assert.equal(r.cost.monthlyUsd, r.cost.bills!.promptCacheOnly.monthlyUsd);
    assert.ok(r.cost.monthlyUsd < r.cost.baselineMonthlyUsd);
    const off = simulate({ ...s, promptCache: { ...s.promptCache, ttl: 'off' } });
    assert.equal(off.cost.monthlyUsd, off.cost.baselineMonthlyUsd);
    assert.equal(off.cost.savingsPct, 0);
    assert.equal(r.memory.recent10!.servedBy.origin, r.memory.recent10!.reads);
  });

  it('one worker, unbounded tiers, TTLs longer than the trace: memory reads are served tier by tier in the generated depth mix', () => {
    const s = smallArticle({ workers: 1 });
    s.tiers = unboundedStack(s);
    const memoryOp = Object.keys(s.ops).indexOf('memory');
    const generated = [0, 0, 0];
    for (const ev of requestsOf(s)) if (ev.op === memoryOp) generated[ev.depth]!++;
    const r = simulate(s);
    assert.deepEqual(r.memory.recent10!.servedBy, { L1: generated[0] });
    assert.deepEqual(r.memory.recent100!.servedBy, { L2: generated[1] });
    assert.deepEqual(r.memory.full!.servedBy, { L3: generated[2] });
    const total = generated[0]! + generated[1]! + generated[2]!;
    // The generated mix itself follows the configured 74.2 / 14.1 / 11.7 within sampling error.
    MEMORY_DEPTHS.forEach((d, i) => assert.ok(Math.abs(generated[i]! / total - s.workload.depthMix[d]) < 0.02, d));
    assert.equal(r.tiers[0]!.byOp.memory!.staleHits, 0, 'a single worker never serves an old window');
  });

  it('with 4 round-robin workers the L1 share falls and the shared L2 share rises', () => {
    const one = simulate(smallArticle({ workers: 1 }));
    const four = simulate(smallArticle({ workers: 4 }));
    const share = (r: typeof one, name: string) => r.tiers.find((t) => t.name === name)!.share;
    assert.ok(share(four, 'L1') < share(one, 'L1') * 0.8, `L1 ${share(one, 'L1')} -> ${share(four, 'L1')}`);
    assert.ok(share(four, 'L2') > share(one, 'L2') * 1.2, `L2 ${share(one, 'L2')} -> ${share(four, 'L2')}`);
  });

  it('never serves a streaming or tool-use request from cache, and pays for it', () => {
    const r = simulate(smallArticle());
    assert.ok(r.bypassedStream > 0 && r.bypassedToolUse > 0);
    assert.equal(r.bypassed, r.bypassedStream + r.bypassedToolUse);
    const response = r.cost.byOp.response!;
    assert.ok(response.calls >= r.bypassed);
  });
});

describe('simulate: invalidation (the article week-2 bug)', () => {
  // Per-worker L1; a temperature change handled by one worker. `local` clears only that
  // worker's L1 (and the shared L2): another worker still serves the score computed before.
  const staleScoresInL1 = (mode: 'local' | 'broadcast' | 'none') => {
    const s = smallArticle({ leads: 200, days: 5, workers: 4 });
    s.invalidation = mode;
    s.workload.stateChangeRate = 0.3;
    s.workload.retryRate = 0.3;
    const r = simulate(s);
    return r.tiers.find((t) => t.name === 'L1')!.byOp.score!.staleHits;
  };

  it('local invalidation serves stale contact scores from another worker’s L1', () => {
    assert.ok(staleScoresInL1('local') > 0);
  });

  it('broadcast invalidation brings stale score hits to zero', () => {
    assert.equal(staleScoresInL1('broadcast'), 0);
  });

  it('no invalidation (TTL only) is at least as stale as local', () => {
    assert.ok(staleScoresInL1('none') >= staleScoresInL1('local'));
  });
});

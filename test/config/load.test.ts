import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync } from 'node:fs';
import { applyOverrides, loadScenario, normalizeScenario, ScenarioError, scenarioFingerprint, defaultScenario } from '../../src/config.js';

describe('scenario validation', () => {
  it('lists every wrong field with its path', () => {
    const err = (() => {
      try {
        normalizeScenario({
          workload: { leads: -3, depthMix: { recent10: 0.5, recent100: 0.1, full: 0.1 } },
          tiers: [{ name: 'L1', kind: 'memcached', capacity: 0, ttl: { scroe: 60 } }],
          workers: { routing: 'sticky-ish' },
          colour: 'blue',
        });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof ScenarioError);
    const text = err.problems.join('\n');
    for (const path of ['workload.leads', 'workload.depthMix', 'tiers[0].kind', 'tiers[0].capacity', 'tiers[0].ttl.scroe', 'workers.routing', 'colour: unknown field'])
      assert.ok(text.includes(path), `missing ${path} in:\n${text}`);
    assert.ok(err.problems.length >= 7);
  });

  it('rejects unknown fields at every depth, naming the nearest valid one', () => {
    const err = (() => {
      try {
        normalizeScenario({
          workload: { leeds: 300, dayz: 3 },
          tiers: [{ name: 'L1', kind: 'memory', capacty: 10, latency: { constant: 1, p99: 2 } }],
          workers: { cuont: 2 },
          ops: { score: { tokensIN: 10 } },
          models: { 'claude-article': { inputPerMtok: 1 } },
        });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof ScenarioError, 'typos must not run silently with the defaults');
    assert.deepEqual(
      err.problems.filter((p) => p.includes('unknown field')),
      [
        'workload.leeds: unknown field (did you mean leads?)',
        'workload.dayz: unknown field (did you mean days?)',
        'ops.score.tokensIN: unknown field (did you mean tokensIn?)',
        'tiers[0].latency.p99: unknown field',
        'tiers[0].capacty: unknown field (did you mean capacity?)',
        'workers.cuont: unknown field (did you mean count?)',
        'models.claude-article.inputPerMtok: unknown field (did you mean inputPerMTok?)',
      ],
    );
  });

  it("reports a field's range and the rules between fields together, each once, after the defaults are filled in", () => {
    const err = (() => {
      try {
        normalizeScenario({
          workload: { messagesPerDay: { max: 2 }, sessionsPerDay: { min: 0.5 }, messageGapSec: { p99: 1 } },
          tiers: [{ name: 'L2', kind: 'redis', scope: 'worker', latency: { p50: 5, p99: 1 } }, { name: 'L2', capacity: 0 }],
          models: { house: { inputPerMTok: 1 } },
          ops: { score: { model: 'house' } },
        });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof ScenarioError);
    assert.deepEqual([...err.problems].sort(), [
      'models.house.cachedInputPerMTok: expected a number, got nothing',
      'models.house.outputPerMTok: expected a number, got nothing',
      'tiers[0].latency.p99: must be >= p50 (5)',
      'tiers[0].scope: a redis tier is shared; only memory tiers can be per worker',
      'tiers[1].capacity: must be >= 1, got 0',
      'tiers[1].name: duplicate tier name "L2"',
      'workload.messageGapSec.p99: must be >= 60, got 1',
      'workload.messagesPerDay.max: must be >= 8, got 2',
      'workload.sessionsPerDay.min: expected an integer, got 0.5',
    ]);
  });

  it('a command-line override is checked by the same rules, naming the field', () => {
    assert.throws(() => applyOverrides(defaultScenario(), { leads: 0 }), (e) => e instanceof ScenarioError && e.file === '(command line)' && e.problems.join() === 'workload.leads: must be >= 1, got 0');
    assert.throws(() => applyOverrides(defaultScenario(), { workers: 2000 }), (e) => e instanceof ScenarioError && e.problems.join() === 'workers.count: must be <= 1024, got 2000');
  });

  it('loads every shipped scenario', () => {
    for (const f of readdirSync('scenarios').filter((f) => /\.(ya?ml|json)$/.test(f))) assert.doesNotThrow(() => loadScenario(`scenarios/${f}`), f);
  });

  it('the fingerprint ignores the seed but not the stack', () => {
    const a = defaultScenario();
    const b = { ...defaultScenario(), seed: 99 };
    const c = defaultScenario();
    c.tiers[0]!.capacity = 10;
    assert.equal(scenarioFingerprint(a), scenarioFingerprint(b));
    assert.notEqual(scenarioFingerprint(a), scenarioFingerprint(c));
  });

  it('reports a YAML syntax error with the file name', () => {
    assert.throws(() => loadScenario('test/does-not-exist.yaml'), /does-not-exist\.yaml/);
  });
});

describe('scenario merging', () => {
  it('a latency model, TTL map or mix given in a file replaces the default whole', () => {
    const s = normalizeScenario({
      tiers: [{ name: 'L1', kind: 'memory', scope: 'worker', latency: { p50: 0.05, p99: 0.8 }, ttl: { score: 60 } }],
      workload: { botsPerMessage: { '1': 1 } },
      ops: { score: { llmLatency: { constant: 5 } } },
    });
    assert.deepEqual(s.tiers[0]!.latency, { p50: 0.05, p99: 0.8 });
    assert.deepEqual(s.tiers[0]!.ttl, { score: 60 });
    assert.deepEqual(s.workload.botsPerMessage, { '1': 1 });
    assert.deepEqual(s.ops.score!.llmLatency, { constant: 5 });
    assert.equal(s.ops.score!.tokensIn, 2000, 'other op fields keep their defaults');
  });

  it('scenarios/seed-article.yaml is the built-in default stack', () => {
    const file = loadScenario('scenarios/seed-article.yaml');
    const dflt = defaultScenario();
    assert.deepEqual(file.tiers, dflt.tiers);
    assert.deepEqual(file.workload, dflt.workload);
    assert.deepEqual(file.ops, dflt.ops);
    assert.equal(scenarioFingerprint(file), scenarioFingerprint(dflt));
  });
});

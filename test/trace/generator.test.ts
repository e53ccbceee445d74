import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOverrides, defaultScenario } from '../../src/config.js';
import { createSyntheticSource } from '../../src/trace/generator.js';
import { EVENT_REQUEST, newSimEvent, PREFIX_NONE, PREFIX_SEGMENTS, type SimEvent } from '../../src/trace/types.js';

function drain(prompts: boolean | undefined): SimEvent[] {
  const src = createSyntheticSource(applyOverrides(defaultScenario(), { leads: 40, days: 2 }), prompts === undefined ? {} : { prompts });
  const out: SimEvent[] = [];
  const ev = newSimEvent();
  while (src.next(ev)) out.push({ ...ev, prefixIds: ev.prefixIds.slice(0, ev.prefixLen), prefixTokens: [], prefixRoles: [] });
  return out;
}

test('without prompts (a run with the prompt cache off) the generator gives the same events, minus the prompt segments', () => {
  const withPrompts = drain(undefined);
  const without = drain(false);
  assert.equal(without.length, withPrompts.length);
  const llm = withPrompts.filter((e) => e.kind === EVENT_REQUEST && e.op !== 0);
  assert.ok(llm.length > 100);
  assert.ok(llm.every((e) => e.prefixKind === PREFIX_SEGMENTS && e.prefixLen === 3), 'LLM requests describe their prompt by default');
  for (let i = 0; i < without.length; i++) {
    const a = without[i]!;
    assert.equal(a.prefixKind, PREFIX_NONE);
    assert.equal(a.prefixLen, 0);
    assert.deepEqual({ ...a, prefixKind: 0, prefixLen: 0, prefixIds: [] }, { ...withPrompts[i]!, prefixKind: 0, prefixLen: 0, prefixIds: [] });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gate } from '../../src/gate.js';
import { fmtChange, fmtP } from '../../src/report/views/gate.js';
import { renderResult } from '../../src/report/render.js';
import type { GateVerdict } from '../../src/model/results.js';

const renderGateTable = (v: GateVerdict) => renderResult(v, 'table');
const renderGateMarkdown = (v: GateVerdict) => renderResult(v, 'markdown');
import { benchResult, simulateResult } from '../stats/bench-fixture.js';

test('number formats: signed change, small p-values', () => {
  assert.equal(fmtChange(0.1034), '+10.3%');
  assert.equal(fmtChange(-0.02), '-2.0%');
  assert.equal(fmtP(0.00001), '<0.0001');
  assert.equal(fmtP(0.0123456), '0.012');
});

test('the table names every metric and the failing one, and lists warnings', () => {
  const v = gate(benchResult({ seed: 1 }), benchResult({ seed: 2, slow: { L2: 1.3 }, cpu: 'Other' }));
  const out = renderGateTable(v);
  assert.match(out, /: FAIL\n/);
  assert.match(out.replace(/\n +/g, ' '), /over 7 vs 7 trials, p Holm-adjusted over 12 metrics; fail if p < 0.01 and slower by > 5.0%, warn above 2.0%/);
  for (const label of ['end-to-end', 'L1 lookup', 'L2 lookup', 'L3 lookup']) assert.ok(out.includes(label), label);
  assert.match(out, /L2 lookup\s+│ p50\s+│\s+[\d,]+\s+│\s+[\d,]+\s+│\s+\+\d\d\.\d%.*FAIL/);
  assert.match(out, /environment differs: cpu/);
  for (const line of out.split('\n')) assert.ok(line.length <= 100, `line too wide (${line.length}): ${line}`);
});

test('markdown: headline with the verdict, failing metrics first, escaped names, the table open on failure', () => {
  const b = benchResult({ seed: 1 });
  const c = benchResult({ seed: 2, slow: { L2: 1.3 } });
  for (const r of [b, c]) r.scenario.name = 'my|scenario*';
  const md = renderGateMarkdown(gate(b, c));
  assert.match(md, /^### :x: llmcache gate · my\\\|scenario\\\*: FAIL\n/);
  assert.match(md, /\n- FAIL: L2 lookup p50 \+\d\d\.\d % \(\+\d+\.\d µs\), p [\d.]+, [\d.]+ over 12 metrics \(Holm\): slower by more than the 5\.0 % threshold, 99\.\d+ % confident\n/);
  assert.match(md, /\n#### Latency by metric \(µs\)\n/, 'not folded away on a failure');
  assert.match(md, /\| :-- \| :-- \| --: \|/);
  const pass = renderGateMarkdown(gate(benchResult({ seed: 1 }), benchResult({ seed: 2 })));
  assert.match(pass, /^### :white_check_mark: llmcache gate · article: PASS/);
  assert.match(pass, /<details><summary>Latency by metric \(µs\)<\/summary>/);
});

test('simulate verdicts render the exact differences', () => {
  const v = gate(simulateResult(), simulateResult((r) => (r.llmCalls = 4101)));
  assert.match(renderGateTable(v), /46 deterministic figures compared exactly, 1 differ\.\n.*\n.*Figure.*Baseline.*Current.*\n.*\n.*llmCalls.*4100.*4101/);
  assert.match(renderGateMarkdown(v), /\| llmCalls \| 4100 \| 4101 \|/);
});

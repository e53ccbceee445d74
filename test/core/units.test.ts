/** The one grammar of durations, fractions and rates (src/core/units.ts): accepted and refused forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCapacity, parseDuration, parseFraction, parsePerSecond, splitTier } from '../../src/core/units.js';
import { InputError } from '../../src/errors.js';
import { runCli } from '../cli-helper.js';

/** Asserts `fn` throws an InputError whose message matches every pattern. */
function refused(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test('durations: every unit, a bare number in the flag unit, the value in the unit asked for', () => {
  const ms = { unit: 's', as: 'ms' } as const;
  for (const [text, want] of [
    ['500ms', 500],
    ['2s', 2000],
    ['2', 2000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['2m', 120_000],
    ['12h', 43_200_000],
    ['3d', 259_200_000],
    [' 10 s ', 10_000],
    ['0s', 0],
  ] as const) {
    assert.equal(parseDuration('--x', text, ms), want, text);
  }
  // In the flag's own unit a value is returned as written: no round trip through ms.
  assert.equal(parseDuration('--days', '0.1', { unit: 'd' }), 0.1);
  assert.equal(parseDuration('--days', '12h', { unit: 'd' }), 0.5);
  assert.equal(parseDuration('--days', '36h', { unit: 'd' }), 1.5);
  assert.equal(parseDuration('--timeout', '250', { unit: 'ms' }), 250);
  assert.equal(parseDuration('--timeout', '2s', { unit: 'ms' }), 2000);
});

test('durations refused: no unit we know, a sign, an exponent, two numbers, 0 where it must be longer', () => {
  const o = { unit: 's', as: 'ms' } as const;
  for (const text of ['', 'abc', '10 sec', '10S', '1w', '-1s', '+1s', '1e3ms', '1s2', '10s10ms', 's', '1..5s', 'Infinity', '0x10']) {
    refused(() => parseDuration('--duration', text, o), /^--duration: expected a duration such as 500ms, 2s, 2m, 12h or 3d \(a bare number is seconds\), got /);
  }
  refused(() => parseDuration('--timeout', '0', { unit: 'ms', positive: true }), /^--timeout: expected a duration longer than 0 .*\(a bare number is milliseconds\), got "0"$/);
  refused(() => parseDuration('--days', '0h', { unit: 'd', positive: true }), /^--days: .*a bare number is days/);
});

test('fractions: a percent or a bare fraction up to 1 (or the flag maximum), 0 unless positive', () => {
  for (const [text, want] of [
    ['10%', 0.1],
    ['0.1', 0.1],
    ['.25', 0.25],
    ['1', 1],
    ['100%', 1],
    ['0', 0],
    ['0%', 0],
    ['2.5 %', 0.025],
    [' 5% ', 0.05],
  ] as const) {
    assert.equal(parseFraction('--x', text), want, text);
  }
  assert.equal(parseFraction('--inject-delay', '150%', { max: Infinity }), 1.5);
  assert.equal(parseFraction('--inject-delay', '300%', { max: Infinity }), 3);
});

test('fractions refused: a bare number above 1 is ambiguous, over the maximum, negative, 0 where positive, junk', () => {
  refused(() => parseFraction('--threshold', '12'), /^--threshold: expected a percent such as 10% or a fraction such as 0\.1 up to 100%, got "12" \(a bare number is a fraction: for 12 percent write 12%\)$/);
  refused(() => parseFraction('--inject-delay', '3', { max: Infinity }), /for 3 percent write 3%/);
  refused(() => parseFraction('--max-stale', '101%'), /^--max-stale: .*up to 100%, got "101%"$/);
  refused(() => parseFraction('--sample', '0', { positive: true }), /^--sample: expected a percent such as 10% or a fraction such as 0\.1, above 0 up to 100%/);
  for (const text of ['', '%', '-1%', '-0.1', '1e-2', 'ten%', '10%%', '0.1.2', '1/2']) refused(() => parseFraction('--warn', text), /^--warn: expected a percent/);
});

test('rates: per second, minute, hour or ms; a bare number is per second; above 0', () => {
  assert.equal(parsePerSecond('--rate', '150'), 150);
  assert.equal(parsePerSecond('--rate', '150/s'), 150);
  assert.equal(parsePerSecond('--rate', '9000/m'), 150);
  assert.equal(parsePerSecond('--rate', '7200/h'), 2);
  assert.equal(parsePerSecond('--rate', '2/ms'), 2000);
  assert.equal(parsePerSecond('--rate', '0.5'), 0.5);
  for (const text of ['0', '0/s', '-5', '150/sec', '150 per s', 's', '/s', '10%', '1e3']) {
    refused(() => parsePerSecond('--rate', text), /^--rate: expected a rate above 0 such as 150\/s, 9000\/m or 20\/h \(a bare number is per second\), got /);
  }
});

test('capacities: a whole number with k M G (10^3/6/9) or Ki Mi Gi (2^10/20/30) and an optional b; refused below 1 or malformed', () => {
  for (const [text, want] of [
    ['1000', 1000],
    ['100k', 100_000],
    ['100K', 100_000],
    ['2M', 2_000_000],
    ['3g', 3_000_000_000],
    ['64MiB', 67_108_864],
    ['1 KiB', 1024],
    ['2Gi', 2_147_483_648],
    ['10kb', 10_000],
    ['1.5k', 1500],
    [' 7 ', 7],
  ] as const) {
    assert.equal(parseCapacity('--x', text), want, text);
  }
  for (const text of ['0', '0.4', '-5', '1e3', '10 MB/s', 'k', '', '100000000000000000G']) {
    refused(() => parseCapacity('--max-capacity', text), /^--max-capacity: capacity must be a positive integer \(e\.g\. 1000, 100k, 64MiB\), got /);
  }
});

test('a tier-prefixed value: the tier name and the rest, or the form in the refusal', () => {
  assert.deepEqual(splitTier('--inject-delay', 'L2:10%', 'TIER:PCT'), { tier: 'L2', rest: '10%' });
  assert.deepEqual(splitTier('--inject-tail', 'my-tier:20ms@2%', 'F'), { tier: 'my-tier', rest: '20ms@2%' });
  for (const text of ['10%', ':10%', 'L2:', '2L:10%']) refused(() => splitTier('--inject-delay', text, 'TIER:PCT such as L2:10%'), /^--inject-delay: expected TIER:PCT such as L2:10%, got /);
});

test('every flag that takes a duration, rate or capacity goes through the grammar and names itself when refused', async () => {
  const cases: [string[], RegExp][] = [
    [['bench', '--l2', 'memory', '-d', '10sec'], /^llmcache bench: --duration: expected a duration such as 500ms/],
    [['bench', '--l2', 'memory', '--timeout', '1w'], /^llmcache bench: --timeout: expected a duration longer than 0 .*a bare number is milliseconds/],
    [['bench', '--l2', 'memory', '--rate', '150/sec'], /^llmcache bench: --rate: expected a rate above 0 such as 150\/s/],
    [['bench', '--l2', 'memory', '--inject-delay', 'L2:10'], /^llmcache bench: --inject-delay: .*for 10 percent write 10%/],
    [['bench', '--l2', 'memory', '--inject-delay', '10%'], /^llmcache bench: --inject-delay: expected TIER:PCT such as L2:10% or L2:0\.1/],
    [['bench', '--l2', 'memory', '--inject-tail', 'L3:20ms@0%'], /^llmcache bench: --inject-tail: expected a percent .*above 0/],
    [['bench', '--l2', 'memory', '--inject-tail', 'L3:20w@2%'], /^llmcache bench: --inject-tail: expected a duration longer than 0/],
    [['bench', '--l2', 'memory', '--inject-stall', 'L2:200ms'], /^llmcache bench: --inject-stall: expected TIER:DURATION@OFFSET such as L2:200ms@1s/],
    [['simulate', '--days', '0'], /^llmcache simulate: --days: expected a duration longer than 0 .*a bare number is days/],
    [['trace', 'generate', '--days', 'soon', '-o', 'x.jsonl'], /^llmcache trace generate: --days: expected a duration/],
    [['sweep', '--scenario', 'scenarios/small.yaml', '--param', 'L1.capacity=1,2', '--max-stale', '5'], /^llmcache sweep: --max-stale: .*for 5 percent write 5%/],
    [['sweep', '--scenario', 'scenarios/small.yaml', '--param', 'L1.capacity=1,2', '--days', '1w'], /^llmcache sweep: --days: expected a duration/],
    [['gate', '-b', 'a.json', '-c', 'b.json', '--warn', '2'], /^llmcache gate: --warn: .*for 2 percent write 2%/],
    [['mrc', 'x.txt', '--sample', '2'], /^llmcache mrc: --sample: expected a percent .*above 0/],
    [['mrc', 'x.txt', '--max-capacity', '0'], /^llmcache mrc: --max-capacity: capacity must be a positive integer/],
    [['mrc', 'x.txt', '--sample-keys', '2x'], /^llmcache mrc: --sample-keys: capacity must be a positive integer/],
    [['replay', 'x.txt', '--cache', 'lru:0.2'], /^llmcache replay: --cache: capacity must be a positive integer .*got "0\.2"/],
  ];
  for (const [args, pattern] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern, args.join(' '));
  }
});

test('the parsed values reach the command: --days 12h is half a day, --sample 100% is the rate 1', async () => {
  const half = await runCli(['simulate', '--scenario', 'scenarios/small.yaml', '--leads', '5', '--days', '12h', '--json']);
  assert.equal(half.code, 0, half.err);
  const bare = await runCli(['simulate', '--scenario', 'scenarios/small.yaml', '--leads', '5', '--days', '0.5', '--json']);
  assert.equal(half.out, bare.out);
  const r = await runCli(['mrc', 'test/fixtures/replay/belady.txt', '--sample', '100%', '--points', '3', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).sampled.rate, 1);
});

/**
 * The regression gate: a pure comparison of two result files -> a verdict. No I/O, no clock.
 *
 * Latency (bench results) is never judged from one run. Each side carries repeated trials; for
 * every metric (end-to-end, per-tier and per-op percentiles) the per-trial values of both sides go
 * into a one-sided Mann-Whitney U test, or, when the trials are paired, the per-pair ratios into a
 * sign test (default) or signed-rank test. A metric FAILS only when the slowdown is both significant
 * (p < alpha) and large (ratio of medians − 1 > threshold); it WARNS when significant and above the
 * warn level. Deterministic outputs (simulate under a fixed seed) are compared exactly.
 * Unusable input (other kind, schema, scenario, too few trials) throws InputError (exit 2).
 */
import { InputError } from './errors.js';
import { asScenarioResult } from './report/validate.js';
import { GATE_SCHEMA, type BenchResult, type BenchTrial, type ExactComparison, type GateMetric, type GateOptions, type GateStatus, type GateVerdict, type Percentiles, type ScenarioResult, type SimulateResult } from './model/results.js';
import { compareTrials, pairedDesign, smallestP, type CompareOptions, type SideComparison } from './stats/compare.js';
import { westfallYoung } from './stats/westfall-young.js';
import { holmAdjust } from './stats/holm.js';
import { latencySeries, statQuantile, type Series } from './stats/trial-series.js';
import { exactDifferences } from './stats/exact-diff.js';
import { confidencePct } from './stats/confidence.js';

/** Defaults measured to meet the error-rate targets on a loaded 2-core machine: see docs/gate.md. */
export const DEFAULT_GATE_OPTIONS: GateOptions = {
  threshold: 0.05,
  warn: 0.02,
  alpha: 0.01,
  stats: ['p25', 'p50', 'p99'],
  minTrials: 5,
  minTailSamples: 10,
  latencyWarnOnly: false,
  paired: false,
  pairedTest: 'sign',
  disturbedFactor: 1.5,
};

/**
 * Check that a parsed JSON document is a result this gate understands (the report validator's
 * shape check, plus the per-trial fields the gate reads); `label` names it in errors.
 */
export function asResult(doc: unknown, label: string): ScenarioResult {
  const r = asScenarioResult(doc, label);
  if (r.kind !== 'bench') return r;
  if (r.interrupted) {
    const i = r.interrupted;
    throw new InputError(`${label}: the run was interrupted (${i.signal} after ${i.trialsCompleted} of ${i.trialsPlanned} trials); the gate compares complete runs: run the bench again`);
  }
  const problems: string[] = [];
  r.trials.forEach((t, i) => {
    const pct = (p: Percentiles | undefined, at: string) => {
      for (const k of ['p50', 'p95', 'p99', 'count'] as const) if (!Number.isFinite(p?.[k])) problems.push(`${at}.${k}`);
    };
    pct(t?.latencyUs, `trials[${i}].latencyUs`);
    if (!Array.isArray(t?.tiers)) problems.push(`trials[${i}].tiers`);
    else t.tiers.forEach((x, j) => (typeof x?.name === 'string' ? pct(x.latencyUs, `trials[${i}].tiers[${j}].latencyUs`) : problems.push(`trials[${i}].tiers[${j}].name`)));
  });
  if (problems.length > 0) throw new InputError(`${label}: bench trials lack ${problems.slice(0, 5).join(', ')}${problems.length > 5 ? ` and ${problems.length - 5} more` : ''}`);
  return r;
}

/** Refuse pairs that cannot be compared: exit 2 with the reason. */
export function assertComparable(b: ScenarioResult, c: ScenarioResult): void {
  if (b.kind !== c.kind) throw new InputError(`cannot compare a ${b.kind} result (baseline) with a ${c.kind} result (current)`);
  if (b.schema !== c.schema) throw new InputError(`different result schemas: baseline ${b.schema}, current ${c.schema}`);
  if (b.scenario.fingerprint !== c.scenario.fingerprint) {
    throw new InputError(
      `different scenarios: baseline "${b.scenario.name}" (${b.scenario.fingerprint}), current "${c.scenario.name}" (${c.scenario.fingerprint})`,
    );
  }
}

/** Compare `current` against `baseline`. Throws InputError when the pair is unusable. */
export function gate(baseline: ScenarioResult, current: ScenarioResult, options: Partial<GateOptions> = {}): GateVerdict {
  const opts = { ...DEFAULT_GATE_OPTIONS, ...options };
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw new InputError(`alpha must be between 0 and 1, got ${opts.alpha}`);
  if (!(opts.threshold >= 0) || !(opts.warn >= 0)) throw new InputError('threshold and warn must be ≥ 0');
  const badStat = opts.stats.find((x) => Number.isNaN(statQuantile(x)));
  if (badStat !== undefined || opts.stats.length === 0) throw new InputError(`stats: expected percentiles such as p50,p95,p99 or p5, got ${JSON.stringify(badStat ?? '')}`);
  if (opts.warn > opts.threshold) throw new InputError(`warn level (${opts.warn}) must not exceed the threshold (${opts.threshold})`);
  assertComparable(baseline, current);
  const base = {
    schema: GATE_SCHEMA,
    scenario: current.scenario,
    options: {
      threshold: opts.threshold,
      warn: opts.warn,
      alpha: opts.alpha,
      stats: opts.stats,
      paired: opts.paired,
      ...(opts.paired ? { pairedTest: opts.pairedTest } : {}),
      disturbedFactor: opts.disturbedFactor,
      latencyWarnOnly: opts.latencyWarnOnly,
    },
  } as const;
  if (baseline.kind === 'simulate') {
    const exact = compareSimulate(baseline, current as SimulateResult);
    return { ...base, verdict: exact.differences.length > 0 ? 'fail' : 'pass', kind: 'simulate', metrics: [], exact, warnings: [] };
  }
  const cur = current as BenchResult;
  const warnings = benchWarnings(baseline, cur, opts);
  const envMismatch = compareEnv(baseline, cur);
  if (envMismatch) {
    for (const [what, v] of Object.entries(envMismatch)) warnings.push(`environment differs: ${what} ${v.baseline} (baseline) vs ${v.current} (current)`);
  }
  const { metrics, family, method } = judgeAll(latencySeries(baseline, cur, opts.stats, warnings), opts);
  warnings.unshift(...reachWarnings(baseline, cur, opts, method === 'holm' ? family : 1));
  const exact = benchCounts(baseline, cur, warnings);
  const verdict: GateStatus =
    metrics.some((m) => m.status === 'fail') || (exact?.differences.length ?? 0) > 0
      ? 'fail'
      : metrics.some((m) => m.status === 'unsure')
        ? 'unsure'
        : metrics.some((m) => m.status === 'warn') || warnings.length > 0
          ? 'warn'
          : 'pass';
  return {
    ...base,
    verdict,
    kind: 'bench',
    metrics,
    correction: { method, metrics: family },
    ...(exact ? { exact } : {}),
    warnings,
    ...(envMismatch ? { envMismatch } : {}),
  };
}

/**
 * Hit and miss counts of a bench are deterministic when the replay is sequential (closed loop,
 * concurrency 1, same seed, same requests per trial, no backend errors): then every trial on both
 * sides must count exactly like the baseline's first trial. Otherwise they are not compared.
 */
function benchCounts(b: BenchResult, c: BenchResult, warnings: string[]): ExactComparison | undefined {
  if (b.mode.loop !== 'closed' || b.mode.concurrency !== 1 || b.seed !== c.seed) return undefined;
  const trials = [...b.trials.map((t, i) => ['baseline', i, t] as const), ...c.trials.map((t, i) => ['current', i, t] as const)];
  if (trials.some(([, , t]) => t.requests !== b.trials[0]!.requests)) {
    warnings.push('trials differ in request count; hit counts not compared');
    return undefined;
  }
  if (trials.some(([, , t]) => t.errors > 0 || t.tiers.some((x) => x.errors > 0))) return undefined;
  const counts = (t: BenchTrial) => ({ requests: t.requests, tiers: t.tiers.map(({ name, lookups, hits, misses }) => ({ name, lookups, hits, misses })) });
  const ref = counts(b.trials[0]!);
  const out: ExactComparison = { compared: 0, differences: [] };
  for (const [side, i, t] of trials) {
    const d = exactDifferences(ref, counts(t));
    out.compared += d.compared;
    for (const x of d.differences) out.differences.push({ ...x, path: `${side} trial ${i + 1}: ${x.path}` });
  }
  return out;
}

/** Simulate results under the same seed and workload must agree exactly on every figure. */
function compareSimulate(b: SimulateResult, c: SimulateResult): ExactComparison {
  if (b.seed !== c.seed) throw new InputError(`different seeds (baseline ${b.seed}, current ${c.seed}): simulate results compare exactly only under the same seed`);
  const w = exactDifferences(b.workload, c.workload);
  if (w.differences.length > 0) {
    const list = w.differences.map((d) => `${d.path} ${d.baseline} vs ${d.current}`).join(', ');
    throw new InputError(`different workloads (${list}): simulate results compare exactly only for the same workload`);
  }
  const skip = (p: string) => p === 'seed' || p.startsWith('workload') || p.startsWith('scenario');
  return exactDifferences(b, c, skip);
}

/** Reasons to doubt a bench comparison that are not reasons to refuse it. */
function benchWarnings(b: BenchResult, c: BenchResult, opts: GateOptions): string[] {
  for (const [label, r] of [['baseline', b], ['current', c]] as const) {
    if (r.trials.length < opts.minTrials) {
      throw new InputError(`${label} has ${r.trials.length} trial(s); the gate needs at least ${opts.minTrials} a side (run bench --trials ${opts.minTrials} or more)`);
    }
  }
  if (opts.paired && b.trials.length !== c.trials.length) {
    throw new InputError(`--paired needs as many trials a side (baseline ${b.trials.length}, current ${c.trials.length})`);
  }
  const mode = (r: BenchResult) => `${r.mode.loop} loop, ${r.mode.loop === 'open' ? `rate ${r.mode.rate}/s` : `concurrency ${r.mode.concurrency}`}, ${r.mode.workers} worker(s)`;
  if (mode(b) !== mode(c)) throw new InputError(`different bench modes: baseline ${mode(b)}, current ${mode(c)}`);
  const warnings: string[] = [];
  if (b.seed !== c.seed) warnings.push(`different seeds (baseline ${b.seed}, current ${c.seed}): the two sides replayed different traces`);
  for (const [label, r] of [['baseline', b], ['current', c]] as const) {
    if (r.injectedDelay && Object.keys(r.injectedDelay).length > 0) {
      const list = Object.entries(r.injectedDelay).map(([t, f]) => `${t} +${Math.round(f * 100)} %`).join(', ');
      warnings.push(`${label} ran with an injected delay (${list})`);
    }
    for (const [t, x] of Object.entries(r.injectedTail ?? {})) warnings.push(`${label} ran with an injected tail: ${Math.round(x.share * 1000) / 10} % of ${t} lookups +${x.ms} ms`);
    if (r.clientBottleneck) warnings.push(`${label}: the benchmark client was the bottleneck; its latencies include client queueing`);
    if (r.errors > 0) warnings.push(`${label}: ${r.errors} lookup error(s) during the run`);
  }
  return warnings;
}

/**
 * Too few trials for any latency metric to fail: the smallest p the rank test can give, times the
 * Holm factor of the first step (the number of metrics that can fail; 1 under Westfall-Young, whose
 * factor depends on the data: only what is certain is said), is not below alpha.
 */
function reachWarnings(b: BenchResult, c: BenchResult, opts: GateOptions, family: number): string[] {
  const minP = smallestP(b.trials.length, c.trials.length, opts.paired) * Math.max(1, family);
  const trials = `${b.trials.length} vs ${c.trials.length} trials${opts.paired ? ' paired' : ''}`;
  const over = family > 1 ? ` (Holm over ${family} metrics)` : '';
  if (minP >= opts.alpha) return [`with ${trials} the smallest possible p${over} is ${minP.toPrecision(2)} ≥ alpha ${opts.alpha}: latency cannot fail; run more trials`];
  if (guardActive(opts) && 2 * minP >= opts.alpha) {
    return [
      `with ${trials} a metric whose disturbed trials are set aside (p doubled) can reach p${over} ${(2 * minP).toPrecision(2)} at best, not below alpha ${opts.alpha}: such a metric cannot fail; run more trials`,
    ];
  }
  return [];
}

/** The disturbed-trial guard applies (stats/compare.ts): on, and not the paired sign test, which has no use for it. */
function guardActive(opts: GateOptions): boolean {
  return opts.disturbedFactor > 0 && !(opts.paired && opts.pairedTest === 'sign');
}

/** CPU model or node major version differ between the two runs. */
function compareEnv(b: BenchResult, c: BenchResult): GateVerdict['envMismatch'] {
  const out: NonNullable<GateVerdict['envMismatch']> = {};
  if (b.env?.cpu !== c.env?.cpu) out.cpu = { baseline: String(b.env?.cpu), current: String(c.env?.cpu) };
  const major = (v: string | undefined) => /^v?(\d+)/.exec(v ?? '')?.[1] ?? String(v);
  if (major(b.env?.node) !== major(c.env?.node)) out.node = { baseline: String(b.env?.node), current: String(c.env?.node) };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** "12.3 %" with the sign of a change. */
function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
}

/** Samples beyond the percentile in all trials of a side together (the smaller side). */
function tailSamples(s: Series): number {
  const q = statQuantile(s.stat);
  return Math.floor(s.pooledSamples * Math.min(q, 1 - q));
}

/**
 * Judge every metric, corrected for their number: the metrics that can fail (enough samples behind
 * the percentile) form one family, and their p-values are adjusted over it, so the chance that ANY
 * of them fails between identical revisions stays at or below alpha. Paired trials: Westfall-Young
 * by sign flips of whole pairs, which counts what the metrics share (stats/westfall-young.ts);
 * unpaired: Holm.
 */
export function judgeAll(series: Series[], opts: GateOptions): { metrics: GateMetric[]; family: number; method: CorrectionMethod } {
  const tests = series.map((s) => compareTrials(s.baseline, s.current, compareOptions(opts)));
  const canFail = series.map((s) => tailSamples(s) >= opts.minTailSamples);
  const family = canFail.filter(Boolean).length;
  const members = series.map((_, i) => i).filter((i) => canFail[i]);
  const method: CorrectionMethod = opts.paired && family > 1 ? 'westfall-young' : 'holm';
  let adjusted: number[];
  let faster: number[];
  if (method === 'westfall-young') {
    const wy = westfallYoung(
      members.map((i) => pairedDesign(series[i]!.baseline, series[i]!.current, compareOptions(opts))),
      { pGreater: members.map((i) => tests[i]!.pGreater), pLess: members.map((i) => tests[i]!.pLess) },
      opts.pairedTest,
    );
    adjusted = tests.map((t) => t.pGreater);
    faster = tests.map((t) => t.pLess);
    members.forEach((i, k) => {
      adjusted[i] = wy.pGreater[k]!;
      faster[i] = wy.pLess[k]!;
    });
  } else {
    adjusted = holmAdjust(tests.map((t) => t.pGreater), canFail);
    faster = holmAdjust(tests.map((t) => t.pLess), canFail);
  }
  // A metric that cannot fail is outside the family: judged alone (it can only warn or not tell).
  const metrics = series.map((s, i) => judge(s, opts, tests[i], canFail[i] ? { size: family, method, pGreater: adjusted[i]!, pLess: faster[i]! } : undefined));
  return { metrics, family, method };
}

/** The per-metric test's options, from the gate's. */
function compareOptions(opts: GateOptions): CompareOptions {
  return { paired: opts.paired, pairedTest: opts.pairedTest, disturbedFactor: opts.disturbedFactor };
}

/** How p-values are corrected over the metrics of a verdict. */
export type CorrectionMethod = 'holm' | 'westfall-young';

/** A metric's p-values after the correction over its family of `size` metrics. */
export interface Corrected {
  size: number;
  method: CorrectionMethod;
  pGreater: number;
  pLess: number;
}

/**
 * Rank test + effect size -> status of one metric, with its one-line reason. `corrected` carries the
 * metric's p-values adjusted over all metrics of the verdict (judgeAll); alone, it is its own family.
 */
export function judge(
  s: Series,
  opts: GateOptions,
  test: SideComparison = compareTrials(s.baseline, s.current, compareOptions(opts)),
  corrected: Corrected = { size: 1, method: 'holm', pGreater: test.pGreater, pLess: test.pLess },
): GateMetric {
  const { change, pGreater: pValue } = test;
  const pAdjusted = corrected.pGreater;
  const significant = pAdjusted < opts.alpha;
  const family = corrected.size > 1 ? `, ${pAdjusted.toPrecision(2)} over ${corrected.size} metrics (${METHOD_NAME[corrected.method]})` : '';
  const label = s.opName !== undefined ? `${s.opName} request` : s.tier === undefined ? 'end-to-end request' : `${s.tier} lookup`;
  const what = `${label} ${s.stat} ${pct(change)} (${test.shift >= 0 ? '+' : ''}${test.shift.toFixed(1)} µs), p ${pValue.toPrecision(2)}${family}`;
  const q = statQuantile(s.stat);
  const tail = tailSamples(s);
  const slower = change > opts.threshold;
  // Holm multiplies the smallest p by the family's size; Westfall-Young by no more than that, and
  // by as little as 1 when the metrics move together: only the metric's own bound is certain.
  const reachable = test.minP * (corrected.method === 'holm' ? Math.max(1, corrected.size) : 1);
  let status: GateStatus;
  let why: string;
  let note: string | undefined;
  if (slower && tail < opts.minTailSamples) {
    status = 'unsure';
    const need = Math.ceil(opts.minTailSamples / Math.min(q, 1 - q));
    note = `${s.stat} rests on ${tail} sample(s) in all trials of a side; ≥ ${need} needed`;
    why = `could not tell: ${note}; run more or longer trials`;
  } else if (slower && reachable >= opts.alpha) {
    status = 'unsure';
    const doubled = test.minP > smallestP(s.baseline.length, s.current.length, opts.paired);
    const times = corrected.size > 1 && corrected.method === 'holm' ? ` × ${corrected.size} metrics (Holm) = ${reachable.toPrecision(2)}` : '';
    note = `the smallest possible p is ${test.minP.toPrecision(2)}${times} ≥ alpha ${opts.alpha}${doubled ? ' once disturbed trials are set aside' : ''}`;
    why = `could not tell: ${note}; run more trials`;
  } else if (slower && significant) {
    status = opts.latencyWarnOnly ? 'warn' : 'fail';
    if (opts.latencyWarnOnly) note = 'latency is advisory (--latency-warn-only)';
    why = `slower by more than the ${pct(opts.threshold).slice(1)} threshold, ${confidencePct(pAdjusted)} % confident`;
  } else if (slower && pAdjusted < UNSURE_P) {
    status = 'unsure';
    note = `too noisy to tell: p ${pAdjusted.toPrecision(2)} ≥ alpha ${opts.alpha}`;
    why = `could not tell: slower in the data but ${note}; run more trials or quiet the machine`;
  } else if (significant && change > opts.warn) {
    status = 'warn';
    why = `significantly slower, but by less than the ${pct(opts.threshold).slice(1)} threshold`;
  } else {
    status = 'pass';
    if (corrected.pLess < opts.alpha && change < -opts.warn) note = 'faster';
    why = note === 'faster' ? 'significantly faster' : 'no significant slowdown';
  }
  if (test.disturbed > 0) note = `${note ? `${note}; ` : ''}${test.disturbed} disturbed trial(s) left out`;
  return {
    name: s.name,
    ...(s.tier !== undefined ? { tier: s.tier } : {}),
    stat: s.stat,
    op: s.tier === undefined ? 'request' : 'lookup',
    ...(s.opName !== undefined ? { opName: s.opName } : {}),
    baseline: test.baseline,
    current: test.current,
    change,
    shiftUs: test.shift,
    pValue,
    pAdjusted,
    confidence: 1 - pAdjusted,
    status,
    trials: { baseline: s.baseline.length, current: s.current.length },
    minSamples: s.minSamples,
    pooledSamples: s.pooledSamples,
    reason: `${what}: ${why}`,
    ...(note ? { note } : {}),
  };
}

/**
 * Above the threshold in the data and p below this, but not below alpha: "could not tell", not a
 * silent pass. Between identical runs a metric lands here in a few % of cases (that is its job:
 * the data lean slower); it never fails the gate.
 */
const UNSURE_P = 0.05;

const METHOD_NAME: Record<CorrectionMethod, string> = { holm: 'Holm', 'westfall-young': 'Westfall-Young' };

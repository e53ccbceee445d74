/**
 * Pool the trials of several bench runs of one side into one result, so a CI job can interleave
 * the two sides run by run (base, head, base, head, …) and still hand the gate one file per side.
 * Pure: merges histograms in memory, no I/O.
 */
import { InputError } from '../errors.js';
import { decodeHistogram, encodeHistogram, newHistogram, percentilesOf } from '../histogram.js';
import type { ScenarioResult, BenchResult, Percentiles } from '../model/results.js';

/** Merge base64 HDR histograms; `undefined` when any is missing or unreadable (the caller keeps the old figures). */
function mergeHistograms(encoded: (string | undefined)[]): { histogram: string; latencyUs: Percentiles } | undefined {
  try {
    const h = newHistogram();
    for (const e of encoded) {
      if (!e) return undefined;
      h.add(decodeHistogram(e));
    }
    return { histogram: encodeHistogram(h), latencyUs: percentilesOf(h) };
  } catch {
    return undefined;
  }
}

function sameOrThrow(label: string, what: string, values: unknown[]): void {
  const first = JSON.stringify(values[0]);
  const other = values.find((v) => JSON.stringify(v) !== first);
  if (other !== undefined) throw new InputError(`${label}: the pooled runs differ in ${what} (${first} vs ${JSON.stringify(other)})`);
}

/**
 * One result per side. A single file is returned as is; several must all be bench runs of the same
 * scenario, seed, mode, machine (CPU, node) and injected delay; their trials are concatenated and
 * the totals and histograms merged.
 */
export function poolResults(results: ScenarioResult[], label: string): ScenarioResult {
  if (results.length === 1) return results[0]!;
  if (results.length === 0) throw new InputError(`${label}: no result file given`);
  if (results.some((r) => r.kind !== 'bench')) throw new InputError(`${label}: only bench results can be pooled; give one simulate result per side`);
  const runs = results as BenchResult[];
  sameOrThrow(label, 'scenario', runs.map((r) => r.scenario.fingerprint));
  sameOrThrow(label, 'seed', runs.map((r) => r.seed));
  sameOrThrow(label, 'bench mode', runs.map((r) => r.mode));
  sameOrThrow(label, 'environment (CPU, node)', runs.map((r) => [r.env?.cpu, r.env?.node]));
  sameOrThrow(label, 'injected delay', runs.map((r) => [r.injectedDelay ?? {}, r.injectedTail ?? {}]));
  const first = runs[0]!;
  const sum = (f: (r: BenchResult) => number) => runs.reduce((s, r) => s + (f(r) ?? 0), 0);
  const trials = runs.flatMap((r) => r.trials);
  const durationMs = trials.reduce((s, t) => s + t.durationMs, 0);
  const e2e = mergeHistograms(runs.map((r) => r.histogram));
  const tiers = first.tiers.map((t) => {
    const same = runs.map((r) => r.tiers.find((x) => x.name === t.name));
    const merged = mergeHistograms(same.map((x) => x?.histogram));
    const add = (k: 'lookups' | 'hits' | 'misses' | 'errors') => same.reduce((s, x) => s + (x?.[k] ?? 0), 0);
    return { ...t, lookups: add('lookups'), hits: add('hits'), misses: add('misses'), errors: add('errors'), ...(merged ?? {}) };
  });
  const ops = Object.fromEntries(
    Object.entries(first.ops).map(([name, op]) => {
      const same = runs.map((r) => r.ops[name]);
      const merged = mergeHistograms(same.map((x) => x?.histogram));
      return [name, { ...op, requests: same.reduce((s, x) => s + (x?.requests ?? 0), 0), ...(merged ?? {}) }];
    }),
  );
  const worst = (k: 'p50' | 'p99' | 'max') => Math.max(...runs.map((r) => r.eventLoopDelayUs?.[k] ?? 0));
  const stale = e2e ? [] : ['pooled result: histograms could not be merged; top-level latency is that of the first run'];
  return {
    ...first,
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    llmCalls: sum((r) => r.llmCalls),
    bypassed: sum((r) => r.bypassed),
    throughput: durationMs > 0 ? (trials.reduce((s, t) => s + t.requests, 0) * 1000) / durationMs : first.throughput,
    ...(e2e ?? {}),
    tiers,
    ops,
    eventLoopDelayUs: { p50: worst('p50'), p99: worst('p99'), max: worst('max') },
    clientBottleneck: runs.some((r) => r.clientBottleneck),
    trials,
    warnings: [...new Set(runs.flatMap((r) => r.warnings)), `pooled ${runs.length} runs (${trials.length} trials)`, ...stale],
  };
}

/**
 * Sweep analysis, pure: the objectives of a run, the Pareto front (monthly spend, false-hit rate,
 * stale rate — all minimised; leaks too) and the cheapest run within the user's error budgets.
 */
import type { SimulateResult } from '../model/results.js';
import type { ClassStats } from './classes.js';
import type { ParamPoint } from './grid.js';

export const SWEEP_SCHEMA = 'llmcache/sweep@1';

export interface SweepRun {
  params: ParamPoint;
  result: SimulateResult;
  /** Per key class (`--by-class`), when asked for. */
  classes?: Record<string, ClassStats>;
}

/** The three minimised objectives of a run. */
export interface Objectives {
  /** USD per month with this configuration. */
  monthlyUsd: number;
  /** Semantic false hits / semantic-tier hits (1 - precision without stale and leaks; 0 without a semantic tier). */
  falseHitRate: number;
  /** Stale hits / all hits served from cache. */
  staleRate: number;
  /** Cross-contact or cross-tenant hits (never allowed in a recommendation). */
  leaks: number;
}

export interface Budgets {
  /** Largest acceptable false-hit rate (fraction, e.g. 0.01). */
  maxFalseHit: number;
  /** Largest acceptable stale rate (fraction). */
  maxStale: number;
}

export interface SweepResult {
  schema: typeof SWEEP_SCHEMA;
  kind: 'sweep';
  scenario: SimulateResult['scenario'];
  budgets: Budgets;
  runs: (SweepRun & { objectives: Objectives })[];
  /** The non-dominated runs (copies of entries of `runs`), cheapest first. */
  pareto: (SweepRun & { objectives: Objectives })[];
  recommended: (SweepRun & { objectives: Objectives }) | null;
  /** Wall time of the whole sweep (ms) and worker threads used. */
  elapsedMs: number;
  threads: number;
}

export function objectives(r: SimulateResult): Objectives {
  const falseHits = r.semantic?.falseHits ?? 0;
  return {
    monthlyUsd: r.cost.monthlyUsd,
    falseHitRate: r.semantic && r.semantic.hits > 0 ? falseHits / r.semantic.hits : 0,
    staleRate: r.staleness.staleRate,
    leaks: r.semantic?.leaks ?? 0,
  };
}

/**
 * a dominates b: no worse on spend, false-hit rate and stale rate, better on one. Leaks count as
 * a fourth objective so a configuration that leaks never pushes a leak-free one off the front.
 */
function dominates(a: Objectives, b: Objectives): boolean {
  const le = a.monthlyUsd <= b.monthlyUsd && a.falseHitRate <= b.falseHitRate && a.staleRate <= b.staleRate && a.leaks <= b.leaks;
  const lt = a.monthlyUsd < b.monthlyUsd || a.falseHitRate < b.falseHitRate || a.staleRate < b.staleRate || a.leaks < b.leaks;
  return le && lt;
}

/** Runs no other run dominates, ordered by spend. Equal objective vectors are all kept. */
export function paretoFront<T extends { objectives: Objectives }>(runs: readonly T[]): T[] {
  return runs
    .filter((r) => !runs.some((o) => o !== r && dominates(o.objectives, r.objectives)))
    .sort((a, b) => a.objectives.monthlyUsd - b.objectives.monthlyUsd);
}

/** The cheapest run with no leak and within both budgets (ties: fewer false hits, then stale), or null. */
export function recommend<T extends { objectives: Objectives }>(runs: readonly T[], b: Budgets): T | null {
  const ok = runs.filter((r) => r.objectives.leaks === 0 && r.objectives.falseHitRate <= b.maxFalseHit && r.objectives.staleRate <= b.maxStale);
  ok.sort(
    (x, y) =>
      x.objectives.monthlyUsd - y.objectives.monthlyUsd ||
      x.objectives.falseHitRate - y.objectives.falseHitRate ||
      x.objectives.staleRate - y.objectives.staleRate,
  );
  return ok[0] ?? null;
}

/** Assemble the sweep result from finished runs (in grid order). */
export function analyse(runs: SweepRun[], budgets: Budgets, elapsedMs: number, threads: number): SweepResult {
  const withObj = runs.map((r) => ({ ...r, objectives: objectives(r.result) }));
  return {
    schema: SWEEP_SCHEMA,
    kind: 'sweep',
    scenario: runs[0]?.result.scenario ?? { name: '', fingerprint: '' },
    budgets,
    runs: withObj,
    pareto: paretoFront(withObj),
    recommended: recommend(withObj, budgets),
    elapsedMs,
    threads,
  };
}

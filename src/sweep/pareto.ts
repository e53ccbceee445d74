/**
 * Sweep analysis, pure: the objectives of a run, the Pareto front (monthly spend, false-hit rate,
 * stale rate — all minimised; leaks too) and the cheapest run within the user's error budgets.
 */
import { SWEEP_SCHEMA, type Budgets, type Objectives, type SimulateResult, type SweepResult, type SweepRun } from '../model/results.js';

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
export function analyse(runs: Omit<SweepRun, 'objectives'>[], budgets: Budgets, elapsedMs: number, threads: number): SweepResult {
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

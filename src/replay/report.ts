/** Reporters for `replay` and `mrc`: pure functions (result) => string. */
import { fmtInt, fmtPct, oneLine, textTable } from '../report/format.js';
import type { MrcPoint, MrcRun } from './mrc.js';
import type { ReplayPolicyResult } from './engine.js';

export const REPLAY_SCHEMA = 'llmcache/replay@1';
export const MRC_SCHEMA = 'llmcache/mrc@1';

/** `replay --json`. */
export interface ReplayResult {
  schema: typeof REPLAY_SCHEMA;
  /** The trace file as given. */
  trace: string;
  format: string;
  /** Capacities are bytes and weights object sizes. */
  bySize: boolean;
  requests: number;
  /** Invalid lines/records skipped (--skip-invalid). */
  skipped: number;
  /** Wall time of the pass (ms), reading included. */
  elapsedMs: number;
  /** Peak resident memory of the process (MiB). */
  peakRssMB: number;
  results: ReplayPolicyResult[];
}

/** `mrc --json`. */
export interface MrcResult extends MrcRun {
  schema: typeof MRC_SCHEMA;
  trace: string;
  format: string;
  /** Without --sample or --exact: which curve was computed, and why. */
  choice?: string;
}

export function renderReplayTable(r: ReplayResult): string {
  const unit = r.bySize ? 'capacity (bytes)' : 'capacity (entries)';
  const rows = r.results.map((x) => [x.policy, fmtInt(x.capacity), fmtInt(x.requests), fmtInt(x.misses), fmtPct(x.missRatio, 2), fmtInt(x.reqPerSec)]);
  const head = `${oneLine(r.trace)} (${r.format}): ${fmtInt(r.requests)} requests` + (r.skipped > 0 ? `, ${fmtInt(r.skipped)} invalid skipped` : '');
  return `${head}\n${textTable(['policy', unit, 'requests', 'misses', 'miss ratio', 'req/s'], rows)}\n`;
}

export function renderMrcTable(r: MrcResult): string {
  const exact = r.exact;
  const sampled = r.sampled;
  const base: MrcPoint[] = exact ?? sampled?.points ?? [];
  const head = ['capacity (entries)'];
  if (exact) head.push('miss ratio (exact)');
  if (sampled) head.push(`miss ratio (SHARDS ${fmtPct(sampled.rate, 3)})`);
  const others = r.curves.slice(1);
  for (const c of others) head.push(`${c.policy}${c.sampled ? ' (sampled)' : ''}`);
  const rows = base.map((p, i) => {
    const row = [fmtInt(p.capacity)];
    if (exact) row.push(fmtPct(exact[i]!.missRatio, 2));
    if (sampled) row.push(fmtPct(sampled.points[i]!.missRatio, 2));
    for (const c of others) row.push(fmtPct(c.points[i]!.missRatio, 2));
    return row;
  });
  const lines = [
    `${oneLine(r.trace)} (${r.format}): ${fmtInt(r.requests)} requests, ${fmtInt(r.distinctKeys)} distinct keys${exact ? '' : ' (estimated)'}` +
      (r.skipped > 0 ? `, ${fmtInt(r.skipped)} invalid skipped` : ''),
    textTable(head, rows),
  ];
  if (r.choice) lines.push(`curve: ${r.choice}`);
  if (sampled) {
    let s =
      `SHARDS${sampled.maxKeys !== undefined ? ` (fixed size, at most ${fmtInt(sampled.maxKeys)} keys; final rate ${fmtPct(sampled.rate, 3)})` : ''}: ` +
      `${fmtInt(sampled.sampledRequests)} sampled requests over ${fmtInt(sampled.sampledKeys)} keys; error bound about ±${sampled.errorBound.toFixed(3)} ` +
      `(95 %, 1.96·√(0.25/keys), a heuristic)`;
    if (sampled.maxAbsErrorVsExact !== undefined) {
      s += `; error vs exact: mean ${sampled.meanAbsErrorVsExact!.toFixed(4)}, max ${sampled.maxAbsErrorVsExact.toFixed(4)} (absolute miss ratio)`;
    } else s += '; add --exact to measure its error';
    lines.push(s);
    const floor = Math.round(1 / sampled.rate);
    if (base.some((p) => p.capacity < floor)) lines.push(`note: sampling at ${fmtPct(sampled.rate, 2)} cannot resolve capacities below about ${fmtInt(floor)} entries`);
  }
  return lines.join('\n') + '\n';
}

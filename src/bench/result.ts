/**
 * Turn the raw trials of a bench run into the BenchResult contract (docs/architecture.md, "Contracts"): merged HDR
 * histograms (µs, base64), per-tier and per-op statistics, every trial kept, warnings in words.
 */
import { scenarioFingerprint, type Scenario } from '../config.js';
import { decodeHistogram, encodeHistogram, newHistogram, percentilesOf, type Histogram } from '../histogram.js';
import { activeTiers } from '../cache/policy.js';
import { BENCH_SCHEMA, type Bills, type PromptCacheStats, type BenchTimeline, type BenchEnv, type BenchResult, type BenchTierStats, type BenchTrial, type InjectedTail } from '../model/results.js';
import { redact } from '../errors.js';
import type { TierSnapshot } from './host.js';
import { mergeNodeCommands, type NodeCommands } from '../tiers/adapter.js';
import type { TrialData } from './runner.js';
import { benchSemanticResult } from './semantic.js';

export interface ResultMeta {
  scenario: Scenario;
  opNames: string[];
  env: BenchEnv;
  startedAt: Date;
  mode: BenchResult['mode'];
  llmTimeScale: number;
  injectedDelay?: Record<string, number>;
  injectedTail?: Record<string, InjectedTail>;
  warnings?: string[];
  /** The signal that stopped the run, if one did. */
  interruptedBy?: string;
  trialsPlanned?: number;
  /** The model stage of the run: bills over `windowDays` of trace time, prompt-cache counters, assumptions. */
  model?: { windowDays: number; bills: Bills; promptCache?: PromptCacheStats; assumptions: string[] };
}

/** Event-loop delay p99 above this (µs) means the client could not keep up. */
const CLIENT_DELAY_LIMIT_US = 5000;
/** Client CPU (share of a core) from which a delayed event loop is the client's own doing. */
const BUSY_CLIENT_CPU = 0.5;

function tierStats(meta: ResultMeta, snaps: TierSnapshot[][]): BenchTierStats[] {
  return activeTiers(meta.scenario).map((cfg, k) => {
    const h = newHistogram();
    let errors = 0;
    let writes = 0;
    let writeErrors = 0;
    const lookups = meta.opNames.map(() => 0);
    const hits = meta.opNames.map(() => 0);
    let stale = 0;
    let sorReads = 0;
    const nodeParts: NodeCommands[] = [];
    for (const proc of snaps) {
      const t = proc[k]!;
      if (t.nodes) nodeParts.push(t.nodes);
      h.add(decodeHistogram(t.histogram));
      errors += t.errors;
      writes += t.writes;
      writeErrors += t.writeErrors;
      t.lookups.forEach((v, i) => (lookups[i]! += v));
      t.hits.forEach((v, i) => (hits[i]! += v));
      t.stale.forEach((v) => (stale += v));
      sorReads += t.sorReads;
    }
    const byOp: Record<string, { lookups: number; hits: number }> = {};
    meta.opNames.forEach((n, i) => {
      if (lookups[i]! > 0) byOp[n] = { lookups: lookups[i]!, hits: hits[i]! };
    });
    const L = lookups.reduce((a, b) => a + b, 0);
    const H = hits.reduce((a, b) => a + b, 0);
    return {
      name: cfg.name,
      kind: cfg.kind,
      lookups: L,
      hits: H,
      misses: L - H,
      errors,
      latencyUs: percentilesOf(h),
      histogram: encodeHistogram(h),
      staleHits: stale,
      systemOfRecordReads: sorReads,
      writes,
      writeErrors,
      byOp,
      ...clusterStats(nodeParts),
    };
  });
}

/** Per-node command counts and the hottest slot of a clustered tier (nothing otherwise). */
function clusterStats(parts: NodeCommands[]): Pick<BenchTierStats, 'nodes' | 'hotSlot'> {
  if (parts.length === 0) return {};
  const m = mergeNodeCommands(parts);
  let hot: { slot: number; commands: number } | undefined;
  for (const [slot, commands] of m.slots) if (!hot || commands > hot.commands) hot = { slot, commands };
  return { nodes: m.nodes, ...(hot ? { hotSlot: hot } : {}) };
}

/** Requests, percentiles and HDR histogram of each op that ran (µs). */
function opStats(opNames: string[], hs: Histogram[]): BenchResult['ops'] {
  const ops: BenchResult['ops'] = {};
  opNames.forEach((n, i) => {
    const h = hs[i]!;
    if (h.totalCount > 0) ops[n] = { requests: h.totalCount, latencyUs: percentilesOf(h), histogram: encodeHistogram(h) };
  });
  return ops;
}

function trialOf(meta: ResultMeta, d: TrialData): BenchTrial {
  return {
    requests: d.requests,
    errors: d.errors,
    failedOpen: d.failedOpen,
    durationMs: d.durationMs,
    throughput: d.requests / (d.durationMs / 1000),
    latencyUs: percentilesOf(d.e2e),
    histogram: encodeHistogram(d.e2e),
    tiers: tierStats(meta, d.tiers),
    ops: opStats(meta.opNames, d.byOp),
    timeline: d.timeline,
    ...(d.interrupted ? { interrupted: true } : {}),
  };
}

function mergeAll(hs: Histogram[]): Histogram {
  const m = newHistogram();
  for (const h of hs) m.add(h);
  return m;
}

/** Where in a trial requests failed open: the first to the last bucket with a failure. */
export function failureWindow(tl: BenchTimeline): { fromS: string; toS: string; failed: number; requests: number; maxMs: string; otherMaxMs: string } | null {
  const first = tl.failedOpen.findIndex((n) => n > 0);
  if (first < 0) return null;
  const last = tl.failedOpen.length - 1 - [...tl.failedOpen].reverse().findIndex((n) => n > 0);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const inside = (i: number) => i >= first && i <= last;
  const max = (keep: (i: number) => boolean) => Math.max(0, ...tl.maxUs.filter((_, i) => keep(i)));
  return {
    fromS: ((first * tl.bucketMs) / 1000).toFixed(2),
    toS: (((last + 1) * tl.bucketMs) / 1000).toFixed(2),
    failed: sum(tl.failedOpen.slice(first, last + 1)),
    requests: sum(tl.requests.slice(first, last + 1)),
    maxMs: (max(inside) / 1000).toFixed(0),
    otherMaxMs: (max((i) => !inside(i)) / 1000).toFixed(0),
  };
}

export function buildBenchResult(meta: ResultMeta, trials: TrialData[]): BenchResult {
  const e2e = mergeAll(trials.map((t) => t.e2e));
  const requests = trials.reduce((a, t) => a + t.requests, 0);
  const duration = trials.reduce((a, t) => a + t.durationMs, 0);
  const tiers = tierStats(
    meta,
    trials.flatMap((t) => t.tiers),
  );
  const ops = opStats(
    meta.opNames,
    meta.opNames.map((_, i) => mergeAll(trials.map((t) => t.byOp[i]!))),
  );
  const eld = {
    p50: Math.max(0, ...trials.map((t) => t.eventLoopDelayUs.p50)),
    p99: Math.max(0, ...trials.map((t) => t.eventLoopDelayUs.p99)),
    max: Math.max(0, ...trials.map((t) => t.eventLoopDelayUs.max)),
  };
  const clientCpu = Math.max(0, ...trials.map((t) => t.clientCpu));
  const late = trials.reduce((a, t) => a + t.lateDispatches, 0);
  const warnings = [...(meta.warnings ?? [])];
  const bottleneck: string[] = [];
  const delayed = eld.p99 > CLIENT_DELAY_LIMIT_US;
  // A delayed event loop in a client that used little CPU waited for a CPU others held: the
  // machine was busy, the client was not the bottleneck (a closed loop at concurrency 1 spends most
  // of its time waiting for the backends).
  if (delayed && clientCpu >= BUSY_CLIENT_CPU) bottleneck.push(`its event loop was delayed ${(eld.p99 / 1000).toFixed(1)} ms at p99`);
  if (clientCpu >= 0.9) bottleneck.push(`it used ${(clientCpu * 100).toFixed(0)}% of a core`);
  if (meta.mode.loop === 'open' && late > 0.01 * requests) bottleneck.push(`${late} requests were issued more than 1 ms late`);
  if (bottleneck.length > 0) warnings.push(`The client limited this run (${bottleneck.join('; ')}): figures include client time.`);
  else if (delayed) {
    warnings.push(
      `The machine was busy: the client waited for a CPU (event loop delayed ${(eld.p99 / 1000).toFixed(1)} ms at p99 while it used ${(clientCpu * 100).toFixed(0)}% of a core); latencies include that wait.`,
    );
  }
  const failedOpen = trials.reduce((a, t) => a + t.failedOpen, 0);
  tiers.forEach((t, k) => {
    if (t.errors + (t.writeErrors ?? 0) === 0) return;
    // This tier's first error (snapshots are per process part, then per tier).
    const first = trials.flatMap((d) => d.tiers.map((part) => part[k]!)).find((s) => s.firstError)?.firstError;
    warnings.push(
      `${t.name}: ${t.errors} lookup and ${t.writeErrors ?? 0} write errors; lookups failed open as misses (${failedOpen} requests affected)${first ? `; first error: ${redact(first)}` : ''}.`,
    );
  });
  trials.forEach((t, i) => {
    const w = failureWindow(t.timeline);
    if (w) warnings.push(`Trial ${i + 1}: requests failed open from ${w.fromS} s to ${w.toS} s into the measurement (${w.failed} of ${w.requests} requests there); slowest request in that window ${w.maxMs} ms, elsewhere ${w.otherMaxMs} ms.`);
  });
  if (meta.interruptedBy) {
    const done = trials.filter((t) => !t.interrupted).length;
    warnings.push(`Interrupted by ${meta.interruptedBy} after ${done} of ${meta.trialsPlanned ?? trials.length} trials: the figures cover the measurements up to the signal.`);
  }
  const hits = tiers.reduce((a, t) => a + t.hits, 0);
  const snaps = trials.flatMap((t) => t.tiers);
  const semantic = benchSemanticResult(
    meta.scenario,
    activeTiers(meta.scenario)
      .map((cfg, k) => ({ name: cfg.name, snaps: snaps.flatMap((p) => (p[k]?.semantic ? [p[k]!.semantic!] : [])) }))
      .filter((t) => t.snaps.length > 0),
  );
  return {
    schema: BENCH_SCHEMA,
    kind: 'bench',
    scenario: { name: meta.scenario.name, fingerprint: scenarioFingerprint(meta.scenario) },
    seed: meta.scenario.seed,
    startedAt: meta.startedAt.toISOString(),
    env: meta.env,
    mode: meta.mode,
    requests,
    errors: trials.reduce((a, t) => a + t.errors, 0),
    failedOpen,
    throughput: duration > 0 ? requests / (duration / 1000) : 0,
    latencyUs: percentilesOf(e2e),
    histogram: encodeHistogram(e2e),
    tiers,
    ops,
    llmCalls: trials.reduce((a, t) => a + t.llmCalls, 0),
    bypassed: trials.reduce((a, t) => a + t.bypassed, 0),
    eventLoopDelayUs: eld,
    clientBottleneck: bottleneck.length > 0,
    trials: trials.map((t) => trialOf(meta, t)),
    ...(meta.injectedDelay ? { injectedDelay: meta.injectedDelay } : {}),
    ...(meta.injectedTail ? { injectedTail: meta.injectedTail } : {}),
    llmTimeScale: meta.llmTimeScale,
    clientCpu,
    hits,
    ...(semantic ? { semantic } : {}),
    ...(meta.model?.promptCache ? { promptCache: meta.model.promptCache } : {}),
    ...(meta.model
      ? {
          cost: {
            monthlyUsd: meta.model.bills.stack.monthlyUsd,
            windowDays: meta.model.windowDays,
            bills: meta.model.bills,
            assumptions: [
              `window: the ${fmtDays(meta.model.windowDays)} of trace time the measured requests span, projected to a 30-day month`,
              ...meta.model.assumptions,
              'computed from the trace: no provider is called; bills are LLM API spend only',
            ],
          },
        }
      : {}),
    ...(meta.interruptedBy
      ? { interrupted: { signal: meta.interruptedBy, trialsCompleted: trials.filter((t) => !t.interrupted).length, trialsPlanned: meta.trialsPlanned ?? trials.length } }
      : {}),
    warnings,
  };
}

function fmtDays(d: number): string {
  return d >= 1 ? `${+d.toFixed(2)} days` : d * 24 >= 1 ? `${+(d * 24).toFixed(2)} hours` : `${+(d * 1440).toFixed(2)} minutes`;
}

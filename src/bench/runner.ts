/**
 * The bench coordinator: replays a trace against the real stack in compressed real time and
 * measures it (docs/architecture.md, "Measurement").
 *
 * - Closed loop (`concurrency` C): C lanes pull the next event of the trace and await it; at C = 1
 *   the replay is strictly sequential, which is what makes the agreement invariant hold.
 * - Open loop (`rate` R req/s): request n is due at start + n / R; it is issued when due (never
 *   held back by earlier ones) and timed from that INTENDED start, so a stall shows in the tail
 *   instead of being hidden (coordinated omission).
 * - Routing and invalidation follow the shared policy (src/cache/policy.ts) in trace order;
 *   message and state events are applied as they are reached.
 * - Warm-up requests run but are not recorded. Each trial replays the trace from its start on a
 *   fresh stack (its own key prefix / table) and is kept in the result.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Scenario } from '../config.js';
import type { BenchTimeline } from '../model/results.js';
import { FastRecorder, type Histogram } from '../histogram.js';
import { activeTiers, invalidationTargets, routerFor } from '../cache/policy.js';
import { velocityAdaptive } from '../cache/freshness.js';
import { copyEvent, EVENT_MESSAGE, EVENT_REQUEST, EVENT_STATE, newSimEvent, type EventSource, type SimEvent } from '../trace/types.js';
import type { ModelStage } from '../cache/walk.js';
import { newPrefixBlocks, type PrefixBlocks } from '../promptcache/bills.js';
import type { AdapterOptions } from '../tiers/adapter.js';
import type { TierSnapshot, WorkerHost } from './host.js';
import type { VectorSource } from '../trace/vectors.js';
import { newJob, sleep, type BenchJob, type TierFaults } from './stack.js';

export type BenchSource = EventSource & { opNames?: string[]; modelName?(id: number): string } & Partial<VectorSource>;

/** How a bench run drives its load: shared by the command-level options and the coordinator. */
export interface LoadOptions {
  scenario: Scenario;
  loop: 'closed' | 'open';
  concurrency: number;
  /** Open loop: requests per second. */
  rate?: number;
  /** Stop after this many measured requests per trial. */
  requests?: number;
  /** Stop after this long (ms) of measurement per trial. */
  durationMs?: number;
  warmupRequests: number;
  trials: number;
  valueBytes: number;
  llmTimeScale: number;
  /** Stall one tier once per trial: `atMs` after the measurement starts, for `forMs`. */
  stall?: { tier: string; atMs: number; forMs: number };
  /** When aborted, stop issuing requests: the trial in progress ends with what it measured, no further trial starts. */
  signal?: AbortSignal;
  onProgress?: (msg: string) => void;
}

export interface RunOptions extends LoadOptions {
  /** A fresh replay of the trace, once per trial. */
  openSource: () => Promise<BenchSource> | BenchSource;
  host: WorkerHost;
  /** Adapter settings; `runId` is the run's base id (each trial appends `t<n>`). */
  adapter: AdapterOptions;
  faults: Record<string, TierFaults>;
  /** Called per trial with its id before clean-up (the command removes what it wrote). */
  onTrialEnd?: (trialRunId: string) => Promise<void>;
  /**
   * The walk's innermost stage (provider prompt cache and bills) for a trial's source: the
   * coordinator drives it in trace order, computed from the trace (no provider is called).
   */
  modelStage?: (opNames: string[], source: BenchSource) => ModelStage;
}

/** Raw measurements of one trial. */
export interface TrialData {
  runId: string;
  requests: number;
  /** Requests that failed open somewhere (at least one backend error). */
  failedOpen: number;
  errors: number;
  llmCalls: number;
  bypassed: number;
  durationMs: number;
  e2e: Histogram;
  byOp: Histogram[];
  opRequests: number[];
  /** Per process, per tier. */
  tiers: TierSnapshot[][];
  eventLoopDelayUs: { p50: number; p99: number; max: number };
  clientCpu: number;
  /** Open loop: requests issued more than 1 ms after their intended start. */
  lateDispatches: number;
  /** Requests over time, by (intended) start, so an outage or a failover shows where it happened. */
  timeline: BenchTimeline;
  /** The trial was cut short by the run's abort signal (Ctrl-C). */
  interrupted: boolean;
  /** Trace time (ms) from the first to the last measured request: the window the bills cover. */
  traceWindowMs: number;
}


/** Timeline resolution (ms). */
const TIMELINE_BUCKET_MS = 250;

function bump(a: number[], i: number, by: number): void {
  while (a.length <= i) a.push(0);
  a[i]! += by;
}

export async function runTrials(o: RunOptions): Promise<TrialData[]> {
  const out: TrialData[] = [];
  for (let i = 0; i < o.trials && !o.signal?.aborted; i++) {
    const runId = `${o.adapter.runId}t${i + 1}`;
    o.onProgress?.(`trial ${i + 1}/${o.trials} (${runId})`);
    const source = await o.openSource();
    const opNames = source.opNames ?? Object.keys(o.scenario.ops);
    await o.host.setup({
      scenario: o.scenario,
      opNames,
      adapter: { ...o.adapter, runId },
      valueBytes: o.valueBytes,
      llmTimeScale: o.llmTimeScale,
      entities: Math.max(16, source.entities),
      faults: o.faults,
    });
    try {
      out.push(await runTrial(o, source, opNames, runId));
    } finally {
      await o.host.teardown();
      await o.onTrialEnd?.(runId);
    }
  }
  return out;
}

async function runTrial(o: RunOptions, source: BenchSource, opNames: string[], runId: string): Promise<TrialData> {
  const s = o.scenario;
  const host = o.host;
  const workers = host.workers;
  const router = routerFor(s, workers);
  const tiers = activeTiers(s);
  const velocityTtl = velocityAdaptive(tiers);
  // Per tier, per handling worker: the instances a state change invalidates (computed once).
  const targets = tiers.map((t) => Array.from({ length: workers }, (_, w) => invalidationTargets(s.invalidation, t.scope, w, workers)));
  // Vectors the trace carries, for semantic tiers (synthetic ones are computed by the stack).
  const semanticVectors = tiers.some((t) => t.match === 'semantic');
  const vecBuf = new Float32Array(s.embedding.dim);
  // The measured path records into flat counters (about 5× cheaper per value than an HDR
  // histogram: its cost is inside every latency); they become histograms when the trial ends.
  const e2eRec = new FastRecorder();
  const byOpRec = opNames.map(() => new FastRecorder());
  const opRequests = opNames.map(() => 0);
  const maxRequests = o.requests ?? Number.POSITIVE_INFINITY;
  const maxMs = o.durationMs ?? Number.POSITIVE_INFINITY;
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  let warm = 0;
  let issued = 0;
  let completed = 0;
  let failedOpen = 0;
  let errors = 0;
  let llmCalls = 0;
  let bypassed = 0;
  let late = 0;
  let t0 = -1;
  let tEnd = 0;
  let cpu0 = process.cpuUsage();
  let stallTimer: NodeJS.Timeout | undefined;
  let done = false;
  let aborted = false;
  const timeline: BenchTimeline = { bucketMs: TIMELINE_BUCKET_MS, requests: [], failedOpen: [], maxUs: [] };
  const stage = o.modelStage?.(opNames, source) ?? null;
  const isLlm = opNames.map((n) => s.ops[n]?.kind === 'llm');
  let traceFrom = -1;
  let traceTo = 0;

  const startMeasuring = () => {
    t0 = performance.now();
    cpu0 = process.cpuUsage();
    eld.enable();
    if (o.stall) {
      const st = o.stall;
      stallTimer = setTimeout(() => host.stall(st.tier, st.forMs), st.atMs);
    }
  };
  const applyState = (ev: SimEvent) => {
    const w = router.route(ev.contact);
    for (let k = 0; k < tiers.length; k++) {
      const shared = tiers[k]!.scope === 'shared';
      for (const inst of targets[k]![w]!) host.invalidate(k, inst, shared, ev.entity);
    }
  };
  /** Fill `job` with request `ev` (every field, so a lane can reuse one job for all its requests). */
  const fillJob = (ev: SimEvent, measure: boolean, job: BenchJob): void => {
    job.op = ev.op;
    job.key = ev.key;
    job.contact = ev.contact;
    job.tenant = ev.tenant;
    job.entity = ev.entity;
    job.version = ev.version;
    job.depth = ev.depth;
    job.t = ev.t;
    job.stream = ev.stream;
    job.toolUse = ev.toolUse;
    job.measure = measure;
    job.intent = ev.intent;
    job.paraphrase = ev.paraphrase;
    // A copy: the job outlives `vecBuf`'s next fill.
    job.embedding = semanticVectors && source.vectorOf?.(ev, vecBuf, 0) ? Array.from(vecBuf) : undefined;
    job.vector = undefined;
  };
  /**
   * Advance `ev` to the next request to issue (applying message / state events on the way) and
   * fill `job` with it: returns its worker, or -1 at the end. An LLM request is billed here, in
   * trace order (the model stage's noCache and promptCacheOnly bills); `finish` hands the event to
   * the stack's prompt cache when the request reached the model. Synchronous unless a message's
   * write-through must be awaited (`awaitMessages`): then a promise of the same.
   */
  const nextRequest = (ev: SimEvent, awaitMessages: boolean, pending: Set<Promise<unknown>>, job: BenchJob, blocks?: PrefixBlocks): number | Promise<number> => {
    for (;;) {
      if (done) return -1;
      if (o.signal?.aborted) {
        done = aborted = true;
        return -1;
      }
      if (t0 >= 0 && (issued >= maxRequests || performance.now() - t0 >= maxMs)) {
        done = true;
        return -1;
      }
      if (!source.next(ev)) {
        done = true;
        return -1;
      }
      if (ev.kind === EVENT_MESSAGE) {
        const w = router.route(ev.contact);
        if (!s.memoryWriteThrough && !velocityTtl) continue;
        const p = host.message(w, ev.contact, ev.seq, ev.t); // failures are counted as tier write errors
        if (awaitMessages) return p.then(() => nextRequest(ev, awaitMessages, pending, job, blocks));
        track(pending, p);
        continue;
      }
      if (ev.kind === EVENT_STATE) {
        applyState(ev);
        continue;
      }
      if (ev.kind !== EVENT_REQUEST) continue;
      const w = router.route(ev.contact);
      const measure = warm >= o.warmupRequests;
      if (!measure) warm++;
      else {
        if (t0 < 0) startMeasuring();
        issued++;
        if (traceFrom < 0) traceFrom = ev.t;
        traceTo = ev.t;
      }
      if (stage !== null && isLlm[ev.op]) stage.request(ev, measure, blocks);
      fillJob(ev, measure, job);
      return w;
    }
  };
  /** `prompt`: the request's event, unchanged since `nextRequest` returned it (and its prefix's `blocks`). */
  const finish = (job: BenchJob, startMs: number, r: { hitTier: number; llmCall: boolean; bypass: boolean; errors: number }, prompt: SimEvent, blocks?: PrefixBlocks) => {
    // The request reached the model: the stack's prompt cache serves it (warm-up ones too, uncounted).
    if (r.llmCall && stage !== null && isLlm[job.op]) stage.call(prompt, job.measure, blocks);
    if (!job.measure) return;
    const now = performance.now();
    tEnd = Math.max(tEnd, now);
    const us = (now - startMs) * 1000;
    e2eRec.record(us);
    byOpRec[job.op]!.record(us);
    opRequests[job.op]!++;
    completed++;
    if (r.llmCall) llmCalls++;
    if (r.bypass) bypassed++;
    if (r.errors > 0) failedOpen++;
    const b = Math.max(0, Math.floor((startMs - t0) / TIMELINE_BUCKET_MS));
    bump(timeline.requests, b, 1);
    bump(timeline.failedOpen, b, r.errors > 0 ? 1 : 0);
    bump(timeline.maxUs, b, 0);
    if (us > timeline.maxUs[b]!) timeline.maxUs[b] = us;
  };

  if (o.loop === 'closed') {
    // A lane has one request in flight: its event, job and the event's prompt are its own, reused.
    const lane = async () => {
      const ev = newSimEvent();
      const job = newJob();
      const blocks = newPrefixBlocks();
      const pending = new Set<Promise<unknown>>();
      for (;;) {
        let w = nextRequest(ev, true, pending, job, blocks);
        if (typeof w !== 'number') w = await w;
        if (w < 0) break;
        const start = performance.now();
        const r = await host.request(w, job);
        finish(job, start, r, ev, blocks);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, lane));
  } else {
    const interval = 1000 / (o.rate ?? 1000);
    const pending = new Set<Promise<unknown>>();
    const ev = newSimEvent();
    let n = 0;
    const base = performance.now();
    for (;;) {
      // Requests overlap: each its own job, and its own copy of the event for the prompt cache.
      const job = newJob();
      const w = nextRequest(ev, false, pending, job) as number;
      if (w < 0) break;
      let prompt = ev;
      if (stage !== null && isLlm[job.op]) copyEvent(ev, (prompt = newSimEvent()));
      const intended = base + n++ * interval;
      for (let now = performance.now(); now < intended; now = performance.now()) {
        if (intended - now >= 1.5) await sleep(intended - now - 1);
        else await new Promise((r) => setImmediate(r));
      }
      if (performance.now() - intended > 1) late++;
      track(
        pending,
        host.request(w, job).then((r) => finish(job, intended, r, prompt)),
      );
    }
    await Promise.all(pending);
  }
  clearTimeout(stallTimer);
  eld.disable();
  const cpu = process.cpuUsage(cpu0);
  const durationMs = t0 < 0 ? 0 : Math.max(1e-3, tEnd - t0);
  const e2e = e2eRec.toHistogram();
  const byOp = byOpRec.map((r) => r.toHistogram());
  const snapshots = await host.collect();
  for (const proc of snapshots) for (const t of proc) errors += t.errors + t.writeErrors;
  return {
    runId,
    requests: completed,
    failedOpen,
    errors,
    llmCalls,
    bypassed,
    durationMs,
    e2e,
    byOp,
    opRequests,
    tiers: snapshots,
    eventLoopDelayUs: {
      p50: delayUs(eld.count === 0 ? 0 : eld.percentile(50)),
      p99: delayUs(eld.count === 0 ? 0 : eld.percentile(99)),
      max: delayUs(eld.count === 0 ? 0 : eld.max),
    },
    clientCpu: durationMs > 0 ? (cpu.user + cpu.system) / 1000 / durationMs : 0,
    lateDispatches: late,
    timeline,
    interrupted: aborted,
    traceWindowMs: traceFrom < 0 ? 0 : traceTo - traceFrom,
  };
}

/** The monitor samples every ELD_RESOLUTION_MS; what it records beyond that is the delay. */
const ELD_RESOLUTION_MS = 2;
function delayUs(ns: number): number {
  return Math.max(0, ns / 1000 - ELD_RESOLUTION_MS * 1000);
}

function track(set: Set<Promise<unknown>>, p: Promise<unknown>): void {
  set.add(p);
  void p.finally(() => set.delete(p));
}

/**
 * The simulation loop in virtual time (DESIGN.md §3–§4, §7): events flow through the tier stack;
 * every hit is earned by what the tiers hold at that moment. Pure: no I/O, no wall clock.
 *
 * The hot loop reuses one event object and typed-array counters; nothing is allocated per event.
 */
import { scenarioFingerprint, type LatencyModelConfig, type Scenario, type TierConfig } from '../config.js';
import { computeCost, newLedger } from '../cost.js';
import { encodeHistogram, FastRecorder, newHistogram, percentilesOf } from '../histogram.js';
import { SIMULATE_SCHEMA, type SimTierStats, type SimulateResult, type StaleClassStats } from '../model/results.js';
import { createSyntheticSource } from '../trace/generator.js';
import { EVENT_MESSAGE, EVENT_REQUEST, EVENT_STATE, MEMORY_DEPTHS, newSimEvent, type EventSource } from '../trace/types.js';
import { activeTiers, bypasses, depthIndex, invalidationTargets, RNG_STREAM, routerFor, ttlMs, windowKey, windowTtlMs } from './policy.js';
import { LatencySampler, Rng } from './random.js';
import { TierInstance } from './tier-model.js';
import { SemanticRuntime } from '../semantic/runtime.js';
import { withComponents } from '../semantic/granularity.js';

export interface SimulateOptions {
  /** Events to replay; default: the scenario's synthetic workload. */
  source?: EventSource & { opNames?: string[] };
  /** Lookup latency per tier name, e.g. calibrated from a bench result (ms). */
  latencyOverrides?: Record<string, LatencyModelConfig>;
  /** Called every ~1M events with the fraction of the trace span done. */
  onProgress?: (fraction: number) => void;
}

/** Runtime state and counters of one tier of the stack. */
interface TierRuntime {
  cfg: TierConfig;
  instances: TierInstance[];
  perWorker: boolean;
  /** TTL per op (ms), -1 = not cached here. */
  ttl: Float64Array;
  /** TTL of the conversation window written through on a message (ms), -1 = none. */
  windowTtl: number;
  /** Instances an entity change handled by worker w clears, per w. */
  invalidates: number[][];
  depth: number;
  sor: boolean;
  lookupLatency: LatencySampler;
  writeLatency: LatencySampler;
  lookups: Float64Array;
  hits: Float64Array;
  stale: Float64Array;
  sorReads: number;
}

const NO_TIER = -1;
const FULL_DEPTH = MEMORY_DEPTHS.length - 1;

export function simulate(scenario: Scenario, opts: SimulateOptions = {}): SimulateResult {
  const source = withComponents(scenario, opts.source ?? createSyntheticSource(scenario));
  const opNames = source.opNames ?? Object.keys(scenario.ops);
  const nOps = opNames.length;
  const isContext = Uint8Array.from(opNames.map((n) => (scenario.ops[n]?.kind === 'context' ? 1 : 0)));
  const llmLatency = opNames.map((n) => new LatencySampler(scenario.ops[n]?.llmLatency ?? { constant: 0 }));
  const workers = scenario.workers.count;
  const entities = Math.max(16, source.entities);

  // Semantic tiers, freshness policies and bypass safety (src/semantic/runtime.ts).
  const ext = new SemanticRuntime(scenario, opNames, source);
  const tiers: TierRuntime[] = activeTiers(scenario).map((cfg) => {
    const perWorker = cfg.scope === 'worker';
    const ttl = Float64Array.from(opNames.map((n) => ttlMs(cfg, n)));
    return {
      cfg,
      perWorker,
      instances: Array.from({ length: perWorker ? workers : 1 }, () => ext.instance(cfg, entities)),
      ttl,
      windowTtl: windowTtlMs(cfg, scenario),
      invalidates: Array.from({ length: workers }, (_, w) => invalidationTargets(scenario.invalidation, cfg.scope, w, workers)),
      depth: depthIndex(cfg),
      sor: cfg.systemOfRecord,
      lookupLatency: new LatencySampler(opts.latencyOverrides?.[cfg.name] ?? cfg.latency),
      writeLatency: new LatencySampler(cfg.writeLatency),
      lookups: new Float64Array(nOps),
      hits: new Float64Array(nOps),
      stale: new Float64Array(nOps),
      sorReads: 0,
    };
  });
  const nTiers = tiers.length;

  const rng = new Rng(scenario.seed, RNG_STREAM.latency);
  const router = routerFor(scenario, workers);
  const ledger = newLedger(nOps);
  const latency = new FastRecorder();
  const ages = opNames.map(() => new FastRecorder());
  const served = new Float64Array(MEMORY_DEPTHS.length * (nTiers + 1));
  const requestsByOp = new Float64Array(nOps);
  let requests = 0;
  let llmRequests = 0;
  let memoryReads = 0;
  let bypassStream = 0;
  let bypassTool = 0;
  let hits = 0;
  let llmHits = 0;
  let messages = 0;
  let stateChanges = 0;
  let invalidations = 0;
  const writeThrough = scenario.memoryWriteThrough;
  const span = source.spanMs();
  let nextProgress = 1 << 20;
  let processed = 0;

  const ev = newSimEvent();
  while (source.next(ev)) {
    const now = ev.t;
    if (opts.onProgress && ++processed >= nextProgress) {
      nextProgress += 1 << 20;
      opts.onProgress(span > 0 ? Math.min(1, now / span) : 0);
    }
    if (ev.kind === EVENT_MESSAGE) {
      messages++;
      ext.onMessage(ev.contact, now);
      const w = router.route(ev.contact);
      if (!writeThrough) continue;
      const key = windowKey(ev.contact);
      for (let k = 0; k < nTiers; k++) {
        const tr = tiers[k]!;
        if (tr.windowTtl < 0) continue;
        tr.instances[tr.perWorker ? w : 0]!.write(key, now, now + tr.windowTtl, now, ev.seq, -1, tr.depth);
      }
      continue;
    }
    if (ev.kind === EVENT_STATE) {
      stateChanges++;
      const w = router.route(ev.contact);
      for (let k = 0; k < nTiers; k++) {
        const tr = tiers[k]!;
        for (const i of tr.invalidates[w]!) {
          tr.instances[i]!.invalidate(ev.entity);
          invalidations++;
        }
      }
      continue;
    }
    if (ev.kind !== EVENT_REQUEST) continue;

    // A request: walk the stack.
    requests++;
    const op = ev.op;
    requestsByOp[op]++;
    const w = router.route(ev.contact);
    const context = isContext[op] === 1;
    let ms = 0;
    if (!context) {
      llmRequests++;
      ledger.baselineCalls[op]++;
      ledger.baselineIn[op] += ev.tokensIn;
      ledger.baselineOut[op] += ev.tokensOut;
      if (bypasses(ev.stream, ev.toolUse)) {
        if (ev.stream) bypassStream++;
        else bypassTool++;
        ms += llmLatency[op]!.sample(rng);
        payCall(ledger, op, ev.tokensIn, ev.tokensOut);
        latency.record(ms * 1000);
        continue;
      }
    } else memoryReads++;

    const key = context ? windowKey(ev.contact) : ev.key;
    let hitTier = NO_TIER;
    let hitSlot = -1;
    let hitInst: TierInstance | null = null;
    for (let k = 0; k < nTiers; k++) {
      const tr = tiers[k]!;
      if (tr.ttl[op]! < 0 && !(context && tr.sor)) continue;
      tr.lookups[op]++;
      // A tier that never holds that much history is passed over without a call (as bench does).
      if (context && !tr.sor && tr.depth < ev.depth) continue;
      ms += tr.lookupLatency.sample(rng);
      const inst = tr.instances[tr.perWorker ? w : 0]!;
      if (context && tr.sor) {
        tr.sorReads++;
        hitTier = k;
        hitInst = inst;
        break;
      }
      let slot = inst.lookup(key, now);
      if (slot < 0 && !context) slot = ext.similar(inst, ev, now);
      if (slot >= 0 && !(context && inst.store.auxB[slot]! < ev.depth)) {
        hitTier = k;
        hitSlot = slot;
        hitInst = inst;
        break;
      }
    }

    let version = ev.version;
    let createdAt = now;
    // Depth of what was found: a cached window, or the full history from the system of record.
    let foundDepth = FULL_DEPTH;
    if (hitTier !== NO_TIER) {
      const tr = tiers[hitTier]!;
      tr.hits[op]++;
      ext.onHit(tr.cfg, hitInst, hitSlot, ev, tr.ttl[op]!, now);
      if (!context) llmHits++;
      if (hitSlot >= 0) {
        hits++;
        const store = hitInst!.store;
        version = store.version[hitSlot]!;
        createdAt = store.createdAt[hitSlot]!;
        foundDepth = store.auxB[hitSlot]!;
        if (version !== ev.version) tr.stale[op]++;
        ages[op]!.record(now - createdAt);
      }
    } else if (!context) {
      ms += llmLatency[op]!.sample(rng);
      payCall(ledger, op, ev.tokensIn, ev.tokensOut);
    }
    if (context) served[ev.depth * (nTiers + 1) + (hitTier === NO_TIER ? nTiers : hitTier)]++;

    // Back-fill the tiers above the hit, or write back to every caching tier after a full miss.
    const upTo = hitTier === NO_TIER ? nTiers : hitTier;
    for (let k = 0; k < upTo; k++) {
      const tr = tiers[k]!;
      const ttl = tr.ttl[op]!;
      if (ttl < 0 || (context && tr.sor) || (hitTier !== NO_TIER && !tr.cfg.backfill)) continue;
      // A window is back-filled as deep as the tier holds and the source had.
      const depth = context ? Math.min(tr.depth, foundDepth) : -1;
      tr.instances[tr.perWorker ? w : 0]!.write(key, now, now + ext.writeTtl(tr.cfg, ttl, ev.contact, now), createdAt, version, ev.entity, depth);
      ms += tr.writeLatency.sample(rng);
    }
    latency.record(ms * 1000);
  }

  // Assemble the result.
  const tierStats: SimTierStats[] = tiers.map((tr) => {
    let lookups = 0;
    let h = 0;
    let stale = 0;
    const byOp: SimTierStats['byOp'] = {};
    opNames.forEach((name, i) => {
      if (tr.lookups[i] === 0) return;
      byOp[name] = { lookups: tr.lookups[i]!, hits: tr.hits[i]!, staleHits: tr.stale[i]! };
      lookups += tr.lookups[i]!;
      h += tr.hits[i]!;
      stale += tr.stale[i]!;
    });
    return {
      name: tr.cfg.name,
      kind: tr.cfg.kind,
      scope: tr.cfg.scope,
      match: tr.cfg.match,
      lookups,
      hits: h,
      hitRate: ratio(h, lookups),
      share: ratio(h, requests),
      staleHits: stale,
      evictions: tr.instances.reduce((s, i) => s + i.store.evictions, 0),
      systemOfRecordReads: tr.sorReads,
      byOp,
    };
  });

  const memory: SimulateResult['memory'] = {};
  MEMORY_DEPTHS.forEach((d, di) => {
    const servedBy: Record<string, number> = {};
    let reads = 0;
    for (let k = 0; k <= nTiers; k++) {
      const n = served[di * (nTiers + 1) + k]!;
      if (n === 0) continue;
      servedBy[k === nTiers ? 'origin' : tiers[k]!.cfg.name] = n;
      reads += n;
    }
    memory[d] = { reads, servedBy };
  });

  let staleHits = 0;
  const staleByOp: Record<string, StaleClassStats> = {};
  opNames.forEach((name, i) => {
    let h = 0;
    let s = 0;
    for (const tr of tiers) {
      // A system-of-record read is not a cache hit: it cannot be stale.
      if (!(tr.sor && isContext[i] === 1)) h += tr.hits[i]!;
      s += tr.stale[i]!;
    }
    if (requestsByOp[i] === 0) return;
    staleHits += s;
    const a = percentilesOf(flushed(ages[i]!));
    staleByOp[name] = { hits: h, staleHits: s, staleRate: ratio(s, h), ageMs: { p50: a.p50, p99: a.p99, max: a.max } };
  });

  const latencyHistogram = flushed(latency);
  // A recorded trace without a header knows its span only once it has been read.
  const windowDays = source.spanMs() / 86_400_000;
  const llmCalls = ledger.calls.reduce((a, b) => a + b, 0);
  return {
    schema: SIMULATE_SCHEMA,
    kind: 'simulate',
    scenario: { name: scenario.name, fingerprint: scenarioFingerprint(scenario) },
    seed: scenario.seed,
    workload: {
      leads: scenario.workload.leads,
      days: scenario.workload.days,
      workers,
      routing: scenario.workers.routing,
      invalidation: scenario.invalidation,
      messages,
      stateChanges,
    },
    requests,
    llmRequests,
    memoryReads,
    llmCalls,
    bypassed: bypassStream + bypassTool,
    bypassedStream: bypassStream,
    bypassedToolUse: bypassTool,
    hits,
    hitRate: ratio(hits, requests),
    systemOfRecordReads: tiers.reduce((n, tr) => n + tr.sorReads, 0),
    llmHitRate: ratio(llmHits, llmRequests),
    tiers: tierStats,
    memory,
    latencyMs: percentilesOf(latencyHistogram, 1000),
    latencyHistogram: encodeHistogram(latencyHistogram),
    staleness: { staleHits, staleRate: ratio(staleHits, hits), byOp: staleByOp },
    semantic: ext.finish(ledger),
    invalidations,
    cost: computeCost(scenario, opNames, ledger, windowDays > 0 ? windowDays : scenario.workload.days),
  };
}

function payCall(ledger: ReturnType<typeof newLedger>, op: number, tokensIn: number, tokensOut: number): void {
  ledger.calls[op]++;
  ledger.paidIn[op] += tokensIn;
  ledger.paidOut[op] += tokensOut;
}

function flushed(r: FastRecorder) {
  const h = newHistogram();
  r.flushInto(h);
  return h;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * The simulation loop in virtual time (docs/architecture.md): events flow through the tier stack;
 * every hit is earned by what the tiers hold at that moment. Pure: no I/O, no wall clock.
 *
 * The hot loop reuses one event object and typed-array counters; nothing is allocated per event.
 */
import { scenarioFingerprint, type LatencyModelConfig, type Scenario } from '../config.js';
import { computeCost, newLedger } from '../cost.js';
import { encodeHistogram, FastRecorder, percentilesOf } from '../histogram.js';
import { SIMULATE_SCHEMA, type SimTierStats, type SimulateResult, type StaleClassStats } from '../model/results.js';
import { createSyntheticSource } from '../trace/generator.js';
import * as events from '../trace/types.js';
import { MEMORY_DEPTHS, newSimEvent, type EventSource } from '../trace/types.js';
import * as entry from '../cache/entry.js';
import * as walks from '../cache/walk.js';
import { ModelStage, RequestWalk, WalkPlan } from '../cache/walk.js';
import * as policy from '../cache/policy.js';
import { RNG_STREAM, routerFor } from '../cache/policy.js';
import { LatencySampler, Rng } from '../stats/random.js';
import { TierInstance } from '../tiers/model.js';
import { SemanticRuntime } from '../semantic/runtime.js';
import { withComponents } from '../semantic/granularity.js';
import { provenance } from './provenance.js';

/**
 * Local copies of the imported constants the event loop compares with on every event: the
 * optimizing compiler folds a module's own constants, while it loads and checks an imported
 * binding at each use.
 */
const { EVENT_MESSAGE, EVENT_REQUEST, EVENT_STATE } = events;
const { NO_ENTITY } = entry;
const { END } = walks;
const { bypasses, windowKey } = policy;

export interface SimulateOptions {
  /** Events to replay; default: the scenario's synthetic workload. */
  source?: EventSource & { opNames?: string[]; modelName?(id: number): string };
  /** `--model`: price every request by this model, whatever the trace names. */
  model?: string;
  /** Lookup latency per tier name, e.g. calibrated from a bench result (ms). */
  latencyOverrides?: Record<string, LatencyModelConfig>;
  /** Called every ~1M events with the fraction of the trace span done. */
  onProgress?: (fraction: number) => void;
}

/** What the simulator keeps per tier besides the walk's plan: its instances and latency models. */
interface SimTier {
  instances: TierInstance[];
  lookupLatency: LatencySampler;
  writeLatency: LatencySampler;
}

export function simulate(scenario: Scenario, opts: SimulateOptions = {}): SimulateResult {
  const source = withComponents(scenario, opts.source ?? createSyntheticSource(scenario, { prompts: scenario.promptCache.ttl !== 'off' }));
  const opNames = source.opNames ?? Object.keys(scenario.ops);
  const nOps = opNames.length;
  const isContext = Uint8Array.from(opNames.map((n) => (scenario.ops[n]?.kind === 'context' ? 1 : 0)));
  const llmLatency = opNames.map((n) => new LatencySampler(scenario.ops[n]?.llmLatency ?? { constant: 0 }));
  const workers = scenario.workers.count;
  const entities = Math.max(16, source.entities);

  // The shared request walk (src/cache/walk.ts) holds the policy, generations and counters.
  const plan = new WalkPlan(scenario, opNames, workers, entities, source.contacts);
  const walk = new RequestWalk(plan);
  // Semantic tiers and bypass safety (src/semantic/runtime.ts).
  const semantic = new SemanticRuntime(scenario, opNames, source);
  const tiers: SimTier[] = plan.tiers.map((t) => ({
    instances: t.gens.map((gens) => semantic.instance(t.cfg, gens)),
    lookupLatency: new LatencySampler(opts.latencyOverrides?.[t.cfg.name] ?? t.cfg.latency),
    writeLatency: new LatencySampler(t.cfg.writeLatency),
  }));
  const nTiers = tiers.length;
  const windowTiers = plan.windowTiers;
  const searches = Uint8Array.from(plan.tiers.map((t) => (semantic.searches(t.cfg) ? 1 : 0)));

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
  let keyless = 0;
  let hits = 0;
  let llmHits = 0;
  let messages = 0;
  let stateChanges = 0;
  const span = source.spanMs();
  let nextProgress = 1 << 20;
  let processed = 0;

  const ev = newSimEvent();
  // Trace times past 2^31 ms (24.8 days) are not small integers. V8 keeps a field first set to a
  // small integer as one, so the first such time would change the shape of every event and
  // deoptimize every function that reads events, mid-run; a longer trace makes `t` a double field
  // now, before anything is compiled (-0 is a double equal to 0). Shorter ones keep the integers.
  if (span >= 2 ** 31) ev.t = -0;
  // The walk's innermost stage: the provider prompt cache in front of the model, and the bills.
  const model = new ModelStage(scenario, opNames, { modelName: opts.source?.modelName?.bind(opts.source), forcedModel: opts.model });
  /** A request reaches the model: through the prompt cache, then the LLM (ms). */
  const callModel = (op: number): number => {
    payCall(ledger, op, ev.tokensIn, ev.tokensOut);
    return llmLatency[op]!.sample(rng) + (model.sees(ev) ? model.call(ev) : model.prefillMs(ev));
  };
  /**
   * The walk of request `ev` (op index `op`, a context read or an LLM op) on worker `w` at trace time
   * `now` (ms) through the stack: lookups, the model on a full miss, the writes. Returns its latency
   * (ms). A function of its own so the optimizing compiler inlines the walk's small steps here
   * instead of running out of inlining budget in the event loop.
   */
  const serve = (op: number, context: boolean, w: number, now: number): number => {
    let ms = 0;
    const key = context ? windowKey(ev.contact) : ev.key;
    let hitSlot = -1;
    let hitInst: TierInstance | null = null;
    walk.begin(op, context, ev.depth, w, now, ev.version, ev.contact);
    // Each step is called from one place (not `for (k = next(); …; k = next())`), so the
    // optimizing compiler inlines it once.
    for (;;) {
      const k = walk.nextLookup();
      if (k === END) break;
      const tr = tiers[k]!;
      ms += tr.lookupLatency.sample(rng);
      const inst = tr.instances[walk.instance(k)]!;
      if (walk.servedByRecord(k)) {
        hitInst = inst;
        break;
      }
      let slot = inst.lookup(key, now);
      if (slot < 0 && !context && searches[k] === 1) slot = semantic.similar(inst, ev, now);
      if (slot >= 0 && walk.found(k, inst.store.createdAt[slot]!, inst.store.version[slot]!, inst.store.aux[slot]!)) {
        hitSlot = slot;
        hitInst = inst;
        break;
      }
    }
    walk.settle();

    const hitTier = walk.hitTier;
    if (hitTier !== END) {
      semantic.onHit(plan.tiers[hitTier]!.cfg, hitInst, hitSlot, ev);
      if (!context) llmHits++;
      if (hitSlot >= 0) {
        hits++;
        const store = hitInst!.store;
        const expiresAt = walk.refreshedExpiry();
        if (expiresAt > store.expiresAt[hitSlot]!) store.expiresAt[hitSlot] = expiresAt;
        ages[op]!.record(now - walk.createdAt);
      }
    } else if (walk.reachesModel) {
      ms += callModel(op);
    }
    if (context) served[ev.depth * (nTiers + 1) + (hitTier === END ? nTiers : hitTier)]++;
    return ms + writeBack(key, context, now);
  };
  /**
   * The writes of the walk's outcome (the back-fill above a hit, or every caching tier after a full
   * miss); returns their latency (ms). Apart from `serve`, so the inlining budget `serve` spends on
   * the lookups leaves room for the walk's other steps.
   */
  const writeBack = (key: number, context: boolean, now: number): number => {
    let ms = 0;
    for (;;) {
      const k = walk.nextWrite();
      if (k === END) break;
      const tr = tiers[k]!;
      tr.instances[walk.instance(k)]!.write(key, now, now + walk.writeTtl(k), walk.createdAt, walk.version, ev.entity, context ? walk.windowDepth(k) : -1);
      ms += tr.writeLatency.sample(rng);
    }
    return ms;
  };
  while (source.next(ev)) {
    const now = ev.t;
    if (opts.onProgress && ++processed >= nextProgress) {
      nextProgress += 1 << 20;
      opts.onProgress(span > 0 ? Math.min(1, now / span) : 0);
    }
    if (ev.kind === EVENT_MESSAGE) {
      messages++;
      const w = router.route(ev.contact);
      if (!plan.message(ev.contact, now)) continue;
      const key = windowKey(ev.contact);
      for (const k of windowTiers) {
        const t = plan.tiers[k]!;
        tiers[k]!.instances[t.perWorker ? w : 0]!.write(key, now, now + t.windowTtl, now, ev.seq, NO_ENTITY, t.depth);
      }
      continue;
    }
    if (ev.kind === EVENT_STATE) {
      stateChanges++;
      plan.invalidate(router.route(ev.contact), ev.entity);
      continue;
    }
    if (ev.kind !== EVENT_REQUEST) continue;

    // A request: walk the stack.
    requests++;
    const op = ev.op;
    requestsByOp[op]++;
    const w = ev.contact >= 0 ? router.route(ev.contact) : 0;
    const context = isContext[op] === 1;
    let ms = 0;
    if (!context) {
      llmRequests++;
      ledger.baselineCalls[op]++;
      ledger.baselineIn[op] += ev.tokensIn;
      ledger.baselineOut[op] += ev.tokensOut;
      // The ledger counts the tokens of the requests the model stage does not see (`finish` bills them).
      if (model.sees(ev)) model.request(ev);
      // A request the trace gives no key for (recorded traffic) is never looked up: it is a call.
      if (bypasses(ev.stream, ev.toolUse) || ev.key < 0) {
        if (ev.key < 0) keyless++;
        else if (ev.stream) bypassStream++;
        else bypassTool++;
        ms += callModel(op);
        latency.record(ms * 1000);
        continue;
      }
    } else memoryReads++;

    latency.record((ms + serve(op, context, w, now)) * 1000);
  }

  // Assemble the result.
  const tierStats: SimTierStats[] = plan.tiers.map((tr, k) => {
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
      evictions: tiers[k]!.instances.reduce((s, i) => s + i.store.evictions, 0),
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
      servedBy[k === nTiers ? 'origin' : plan.tiers[k]!.cfg.name] = n;
      reads += n;
    }
    memory[d] = { reads, servedBy };
  });

  let staleHits = 0;
  const answers = { hits: 0, staleHits: 0, staleRate: 0 };
  const contextWindows = { hits: 0, staleHits: 0, staleRate: 0 };
  const staleByOp: Record<string, StaleClassStats> = {};
  opNames.forEach((name, i) => {
    let h = 0;
    let s = 0;
    for (const tr of plan.tiers) {
      h += tr.hits[i]!; // system-of-record reads are not hits (sorReads)
      s += tr.stale[i]!;
    }
    if (requestsByOp[i] === 0) return;
    staleHits += s;
    const group = isContext[i] ? contextWindows : answers;
    group.hits += h;
    group.staleHits += s;
    const a = percentilesOf(ages[i]!.toHistogram());
    staleByOp[name] = { hits: h, staleHits: s, staleRate: ratio(s, h), ageMs: { p50: a.p50, p99: a.p99, max: a.max } };
  });
  answers.staleRate = ratio(answers.staleHits, answers.hits);
  contextWindows.staleRate = ratio(contextWindows.staleHits, contextWindows.hits);

  const latencyHistogram = latency.toHistogram();
  // A recorded trace without a header knows its span only once it has been read.
  const windowDays = source.spanMs() / 86_400_000;
  const days = windowDays > 0 ? windowDays : scenario.workload.days;
  const billed = model.finish(days, ledger);
  const semanticStats = semantic.finish(ledger); // counts the embedding calls the cost prices
  // The headline is the real bill: the stack bill (tiers + prompt cache) + embeddings + infrastructure.
  const cost = computeCost(scenario, opNames, ledger, days, billed.bills);
  cost.bills = billed.bills;
  cost.assumptions.push(...billed.assumptions, 'bills: LLM API spend only (monthlyUsd adds embeddings and infrastructure to the stack bill)');
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
    systemOfRecordReads: plan.tiers.reduce((n, tr) => n + tr.sorReads, 0),
    llmHitRate: ratio(llmHits, llmRequests),
    tiers: tierStats,
    memory,
    latencyMs: percentilesOf(latencyHistogram, 1000),
    latencyHistogram: encodeHistogram(latencyHistogram),
    staleness: { hits, staleHits, staleRate: ratio(staleHits, hits), answers, contextWindows, byOp: staleByOp },
    semantic: semanticStats,
    invalidations: plan.invalidations,
    cost,
    ...(billed.promptCache && { promptCache: billed.promptCache }),
    keylessRequests: keyless,
    provenance: provenance(scenario, opts.source !== undefined, { requests: llmRequests, keyless, withPrefix: model.withPrefix, withModel: model.withModel, forcedModel: opts.model }),
  };
}

function payCall(ledger: ReturnType<typeof newLedger>, op: number, tokensIn: number, tokensOut: number): void {
  ledger.calls[op]++;
  ledger.paidIn[op] += tokensIn;
  ledger.paidOut[op] += tokensOut;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * The three bills of a run (src/model/results.ts `Bills`), request by request:
 *
 * - noCache: every LLM request paid in full;
 * - promptCacheOnly: every LLM request goes to the provider, through its prompt cache;
 * - stack: the requests the application tiers did not serve go through the provider's prompt
 *   cache — the innermost tier, in front of the model. Its outcome also shortens the prefill.
 *
 * Each request is priced by its own model (the trace's, `--model`, or the op's), per op and model.
 * The two prompt caches are separate instances (one per model each: a provider caches per model),
 * so the tiers change what the provider's cache sees.
 */
import { catalogModelPrice, type ModelPrice, type Scenario } from '../config.js';
import { DAYS_PER_MONTH, type TokenLedger } from '../cost.js';
import type { Bill, Bills, PromptCacheStats } from '../model/results.js';
import * as prefixKinds from '../trace/types.js';
import type { SimEvent } from '../trace/types.js';
import { addRequestBill, addUncachedBill, billParts, billTokens, newBillParts, newBillSums, withCell, writePrice, type BillParts, type RequestPrices } from './billing.js';
import { SegmentBlocker } from './blocks.js';
import { newOutcome, PromptCache, ttlMsOf, type PromptCacheOutcome, type PromptCacheTtl } from './cache.js';

/** Local copies (the optimizing compiler folds a module's own constants, an imported binding it loads and checks). */
const { PREFIX_BLOCKS, PREFIX_NONE, PREFIX_SEGMENTS } = prefixKinds;

/** Shortest cached prefix when neither the scenario nor the model's catalog entry gives one. */
export const DEFAULT_MIN_CACHE_TOKENS = 1024;

interface Priced extends RequestPrices {
  /** Dense index of the model in this run (bill buckets are indexed by op and slot). */
  slot: number;
  name: string;
  price: ModelPrice;
  minTokens: number;
  /** This model's bucket of bill b and op at `b * ops + op` (a cell of `BillKeeper.sums`), -1 until first used. */
  cells: Int32Array;
}

/** Bills in `Priced.cells` order. */
const BILLS = ['noCache', 'promptCacheOnly', 'stack'] as const;
const NO_CACHE = 0;
const PROMPT_CACHE_ONLY = 1;
const STACK = 2;

/**
 * Block ids of one request's segment prefix, computed once for its two prompt caches (`request`
 * and `call`). Requests overlap in bench: each closed-loop lane keeps its own (src/bench/runner.ts).
 */
export interface PrefixBlocks {
  ids: number[];
  n: number;
  /** The event `ids` are of, or null. */
  of: SimEvent | null;
}

export function newPrefixBlocks(): PrefixBlocks {
  return { ids: [], n: 0, of: null };
}

/** Accumulates the three bills and the stack prompt cache's counters over one run. */
export class BillKeeper {
  private readonly ttl: PromptCacheTtl | null;
  /** Per bill: cells[op][model slot] (a cell of `sums`), created on first use. */
  private readonly parts: Record<keyof Bills, (number | undefined)[][]> = { noCache: [], promptCacheOnly: [], stack: [] };
  /**
   * The buckets' token sums, cell c for bucket c (src/promptcache/billing.ts): flat, so adding a
   * request is a few array writes (docs/architecture.md, "The request walk": the model stage is
   * on every LLM request's path). Priced once, in `finish`.
   */
  private sums = newBillSums(16);
  private nCells = 0;
  private readonly models: string[] = [];
  /** Prices per model slot (every bucket of a slot is priced at them). */
  private readonly slotPrices: RequestPrices[] = [];
  /** The two prompt caches, per model slot. */
  private readonly onlyCaches: (PromptCache | undefined)[] = [];
  private readonly stackCaches: (PromptCache | undefined)[] = [];
  private readonly opModel: (Priced | null)[];
  private readonly ops: number;
  private readonly traceModels = new Map<number, Priced | null>();
  /** Block ids of segment prefixes, hashing only what a conversation adds. */
  private readonly blocker: SegmentBlocker;
  /** Block ids of the request last given to `request`, reused by `call` when it is for that event. */
  private readonly blocks: PrefixBlocks = newPrefixBlocks();
  private readonly out: PromptCacheOutcome = newOutcome();
  readonly stats: PromptCacheStats = { requests: 0, inputTokens: 0, cachedTokens: 0, writtenTokens: 0, tokenHitRate: 0, blocks: 0, cachedBlocks: 0, blockHitRate: 0 };
  /** Trace model names no price was found for (priced by the op's model instead). */
  readonly unpricedModels = new Set<string>();
  /** Requests that described their prompt prefix / named their model. */
  withPrefix = 0;
  withModel = 0;

  constructor(
    private readonly s: Scenario,
    private readonly opNames: readonly string[],
    /** Name of a trace model id (SimEvent.model), when the source has names. */
    private readonly modelName?: (id: number) => string,
    /** `--model`: every request priced by it, whatever the trace says. */
    private readonly forcedModel?: string,
  ) {
    this.blocker = new SegmentBlocker(s.promptCache.blockTokens);
    const mode = s.promptCache.ttl;
    this.ttl = mode === 'off' ? null : mode;
    this.opModel = opNames.map((n) => {
      const op = s.ops[n];
      return op && op.kind === 'llm' ? this.priced(forcedModel ?? op.model) : null;
    });
    this.ops = opNames.length;
  }

  /** True when the provider prompt cache is modelled (not `off`). */
  get enabled(): boolean {
    return this.ttl !== null;
  }

  private priced(name: string): Priced | null {
    const price = this.s.models[name] ?? catalogModelPrice(name);
    if (!price) return null;
    let slot = this.models.indexOf(name);
    if (slot < 0) slot = this.models.push(name) - 1;
    const priced: Priced = {
      slot,
      name,
      price,
      inputPerMTok: price.inputPerMTok,
      outputPerMTok: price.outputPerMTok,
      cachedInputPerMTok: price.cachedInputPerMTok,
      writePerMTok: this.ttl === null ? 0 : writePrice(price, this.ttl),
      minTokens: this.s.promptCache.minTokens ?? price.minCacheTokens ?? DEFAULT_MIN_CACHE_TOKENS,
      cells: new Int32Array(BILLS.length * this.opNames.length).fill(-1),
    };
    this.slotPrices[slot] ??= priced;
    return priced;
  }

  /** The model that prices `ev`: --model, else the trace's (when priced), else the op's. */
  private modelOf(ev: SimEvent): Priced | null {
    if (this.forcedModel === undefined && ev.model >= 0 && this.modelName) {
      let p = this.traceModels.get(ev.model);
      if (p === undefined) {
        const name = this.modelName(ev.model);
        p = this.priced(name);
        if (p === null) this.unpricedModels.add(name);
        this.traceModels.set(ev.model, p);
      }
      if (p !== null) return p;
    }
    return this.opModel[ev.op] ?? null;
  }

  /**
   * One LLM request as the application sees it: it counts in the noCache and promptCacheOnly
   * bills. `measure` false (bench warm-up): the prompt cache serves it, nothing is counted.
   */
  request(ev: SimEvent, measure = true, blocks = this.blocks): void {
    const m = ev.model < 0 ? (this.opModel[ev.op] ?? null) : this.modelOf(ev);
    if (m === null) return;
    if (this.ttl !== null) {
      this.requestThroughCache(ev, m, measure, blocks);
      return;
    }
    if (!measure) return;
    if (ev.prefixKind !== PREFIX_NONE) this.withPrefix++;
    if (ev.model >= 0) this.withModel++;
    // Prompt caching off: the promptCacheOnly bill is the noCache bill, added up once (see finish).
    // (The cell first: making it may grow `sums`.)
    const c = this.cellOf(m, NO_CACHE, ev.op);
    addUncachedBill(this.sums, c, ev.tokensIn, ev.tokensOut);
  }

  /** `request` with the prompt cache modelled: kept apart so the common path stays small enough to inline. */
  private requestThroughCache(ev: SimEvent, m: Priced, measure: boolean, blocks: PrefixBlocks): void {
    // The event object may have been refilled since `blocks` was computed for it.
    blocks.of = null;
    this.serve(this.onlyCaches, ev, m, blocks);
    if (!measure) return;
    if (ev.prefixKind !== PREFIX_NONE) this.withPrefix++;
    if (ev.model >= 0) this.withModel++;
    const op = ev.op;
    const noCache = this.cellOf(m, NO_CACHE, op);
    addUncachedBill(this.sums, noCache, ev.tokensIn, ev.tokensOut);
    const promptCacheOnly = this.cellOf(m, PROMPT_CACHE_ONLY, op);
    addRequestBill(this.sums, promptCacheOnly, ev.tokensIn, this.out.hitTokens, this.out.writtenTokens, ev.tokensOut);
  }

  /**
   * One LLM call that reached the model (no tier served it): the stack's prompt cache serves its
   * prefix; returns the input tokens read from the cache (they skip the prefill).
   */
  call(ev: SimEvent, measure = true, blocks = this.blocks): number {
    const m = ev.model < 0 ? (this.opModel[ev.op] ?? null) : this.modelOf(ev);
    if (m === null) return 0;
    if (this.ttl !== null) return this.callThroughCache(ev, m, measure, blocks);
    // Prompt caching off: nothing is cached or written, every input token is paid in full (the
    // prompt cache's counters are reported only when it is modelled).
    if (!measure) return 0;
    const c = this.cellOf(m, STACK, ev.op);
    addUncachedBill(this.sums, c, ev.tokensIn, ev.tokensOut);
    return 0;
  }

  /** `call` with the prompt cache modelled. */
  private callThroughCache(ev: SimEvent, m: Priced, measure: boolean, blocks: PrefixBlocks): number {
    this.serve(this.stackCaches, ev, m, blocks);
    const o = this.out;
    if (!measure) return o.hitTokens;
    const c = this.cellOf(m, STACK, ev.op);
    addRequestBill(this.sums, c, ev.tokensIn, o.hitTokens, o.writtenTokens, ev.tokensOut);
    const st = this.stats;
    st.requests++;
    st.inputTokens += ev.tokensIn;
    st.cachedTokens += o.hitTokens;
    st.writtenTokens += o.writtenTokens;
    st.blocks += o.blocks;
    st.cachedBlocks += o.hitBlocks;
    return o.hitTokens;
  }

  /** A new bench trial replays the trace on a fresh stack: the prompt caches start empty (the bills go on). */
  clearCaches(): void {
    this.onlyCaches.length = 0;
    this.stackCaches.length = 0;
  }

  /** Serve `ev`'s prefix in the cache of its model among `caches` (outcome in `this.out`). */
  private serve(caches: (PromptCache | undefined)[], ev: SimEvent, m: Priced, blocks: PrefixBlocks): void {
    const o = this.out;
    o.blocks = o.hitBlocks = o.hitTokens = o.writtenTokens = 0;
    if (this.ttl === null || ev.prefixKind === PREFIX_NONE) return;
    let cache = caches[m.slot];
    if (cache === undefined) {
      const unlimited = this.ttl === 'unlimited';
      cache = caches[m.slot] = new PromptCache({ ttlMs: ttlMsOf(this.ttl), minTokens: m.minTokens, capacityBlocks: unlimited ? null : this.s.promptCache.capacityBlocks });
    }
    if (ev.prefixKind === PREFIX_BLOCKS) cache.serve(ev.t, ev.prefixIds, ev.prefixLen, ev.blockTokens, ev.tokensIn, o);
    else if (ev.prefixKind === PREFIX_SEGMENTS) {
      // The same request is served by both caches: its block ids are computed once.
      if (blocks.of !== ev) {
        blocks.n = this.blocker.blocks(ev.prefixIds, ev.prefixTokens, ev.prefixLen, ev.tokensIn, blocks.ids);
        blocks.of = ev;
      }
      cache.serve(ev.t, blocks.ids, blocks.n, this.blocker.blockTokens, ev.tokensIn, o);
    }
  }

  /** The cost assumptions the prompt cache adds, in words. */
  assumptions(): string[] {
    const pc = this.s.promptCache;
    const out: string[] = [];
    if (pc.ttl === 'off') out.push('provider prompt caching off: the promptCacheOnly and stack bills pay every input token in full');
    else
      out.push(
        `provider prompt cache: ${pc.ttl === 'unlimited' ? 'no TTL and no capacity limit (an upper bound)' : `TTL ${pc.ttl} refreshed on every use`}; ` +
          `minimum prefix ${pc.minTokens ?? `the model's (catalog minCacheTokens, else ${DEFAULT_MIN_CACHE_TOKENS})`} tokens; ` +
          `segment prefixes cut into ${pc.blockTokens}-token blocks; ${pc.capacityBlocks === null || pc.ttl === 'unlimited' ? 'unbounded' : `${pc.capacityBlocks} blocks per model (LRU)`}; ` +
          `writes at the ${pc.ttl === '5m' ? '5-minute' : '1-hour'} write price (the input price where the provider has none)`,
      );
    if (this.unpricedModels.size > 0) out.push(`no price for trace model(s) ${[...this.unpricedModels].join(', ')}: priced by the op's model (name a catalog model with --model)`);
    return out;
  }

  /** The cell of model `m`'s bucket of bill `b` for op `op`, created on first use. */
  private cellOf(m: Priced, b: number, op: number): number {
    const c = m.cells[b * this.ops + op]!;
    return c >= 0 ? c : this.newCell(m, b, op);
  }

  private newCell(m: Priced, b: number, op: number): number {
    // Another Priced of the same model (the op's and a trace's) may have made the bucket already.
    const bySlot = (this.parts[BILLS[b]!][op] ??= []);
    let c = bySlot[m.slot];
    if (c === undefined) {
      c = bySlot[m.slot] = this.nCells++;
      this.sums = withCell(this.sums, c);
    }
    m.cells[b * this.ops + op] = c;
    return c;
  }

  /**
   * With the prompt cache off, the requests an engine did not give to `request` and `call` (see
   * `ModelStage.sees`): per op, what `ledger` counts beyond the requests given is billed at the op's
   * model — the same cells those requests would have added to, the same token sums.
   */
  billUnseen(ledger: TokenLedger): void {
    for (let op = 0; op < this.ops; op++) {
      const m = this.opModel[op];
      if (!m) continue;
      this.addUnseen(m, NO_CACHE, op, ledger.baselineCalls[op]!, ledger.baselineIn[op]!, ledger.baselineOut[op]!);
      this.addUnseen(m, STACK, op, ledger.calls[op]!, ledger.paidIn[op]!, ledger.paidOut[op]!);
    }
  }

  private addUnseen(m: Priced, b: number, op: number, requests: number, inputTokens: number, outputTokens: number): void {
    // Less what was given for op, at every model.
    for (const c of this.parts[BILLS[b]!][op] ?? []) {
      if (c === undefined) continue;
      const given = billTokens(this.sums, c);
      requests -= given.requests;
      inputTokens -= given.inputTokens;
      outputTokens -= given.outputTokens;
    }
    if (requests <= 0) return;
    const c = this.cellOf(m, b, op); // (first: making the cell may grow `sums`)
    addRequestBill(this.sums, c, inputTokens, 0, 0, outputTokens, requests);
  }

  /** The bills projected to a month (window of `windowDays`), and the prompt cache's counters. */
  finish(windowDays: number): { bills: Bills; promptCache: PromptCacheStats } {
    const scale = DAYS_PER_MONTH / windowDays;
    const st = this.stats;
    st.tokenHitRate = st.inputTokens > 0 ? st.cachedTokens / st.inputTokens : 0;
    st.blockHitRate = st.blocks > 0 ? st.cachedBlocks / st.blocks : 0;
    const bill = (buckets: (number | undefined)[][]): Bill => {
      const total = newBillParts();
      const byOp: Bill['byOp'] = {};
      buckets.forEach((perModel, op) =>
        perModel.forEach((c, slot) => {
          if (c === undefined) return;
          const p = billParts(this.sums, c, this.slotPrices[slot]!);
          const monthly = scaled(p, scale);
          (byOp[this.opNames[op]!] ??= {})[this.models[slot]!] = { monthlyUsd: sum(monthly), byPart: monthly };
          for (const key of PARTS) total[key] += p[key];
        }),
      );
      const byPart = scaled(total, scale);
      return { monthlyUsd: sum(byPart), byPart, byOp };
    };
    // Prompt caching off: every request of the promptCacheOnly bill was paid as in the noCache bill.
    const promptCacheOnly = bill(this.ttl === null ? this.parts.noCache : this.parts.promptCacheOnly);
    return { bills: { noCache: bill(this.parts.noCache), promptCacheOnly, stack: bill(this.parts.stack) }, promptCache: { ...st } };
  }
}

const PARTS = ['inputUncached', 'cacheWrite', 'cacheRead', 'output'] as const;
const cents = (x: number) => Math.round(x * 100) / 100;

function scaled(p: BillParts, scale: number): BillParts {
  return { inputUncached: cents(p.inputUncached * scale), cacheWrite: cents(p.cacheWrite * scale), cacheRead: cents(p.cacheRead * scale), output: cents(p.output * scale) };
}

function sum(p: BillParts): number {
  return cents(p.inputUncached + p.cacheWrite + p.cacheRead + p.output);
}

/**
 * Seeded synthetic workload (docs/architecture.md, "Domain model"), streamed as an EventSource.
 *
 * Nothing here decides a hit. The generator only produces structure: leads who message in
 * bursts, a pipeline of LLM operations per message run by one or more bots (so the same score
 * and intent are asked for again on the same message), retries, market data shared by the leads
 * of a zip code for a day, memory reads whose depth follows the configured mix, streaming and
 * tool-use responses, temperature changes and market updates. Whether any of it is served from a
 * cache is decided by the tiers.
 *
 * Memory: one day of message times is held at a time (Float64Array, sorted), never the trace.
 */
import type { Scenario } from '../config.js';
import { Rng, cumulative, LatencySampler } from '../stats/random.js';
import * as events from './types.js';
import { MEMORY_DEPTHS, newSimEvent, type EventSource, type SimEvent } from './types.js';

/** Private copies of what every event reads: they fold to constants (docs/architecture.md, "Measurement"). */
const { copyEvent, EVENT_MESSAGE, EVENT_REQUEST, EVENT_STATE, PREFIX_SEGMENTS, resetEvent } = events;

const DAY_MS = 86_400_000;
/** Messages happen between 08:00 and 22:00 local time. */
const WAKE_MS = 8 * 3_600_000;
const AWAKE_MS = 14 * 3_600_000;
/** Key ids are `op + OP_STRIDE * unique`, so a key can be turned back into its string. */
const KEY_STRIDE = 16;
export const OP_STRIDE = KEY_STRIDE;
/** Response keys carry the bot: `msgId * BOT_STRIDE + bot`. */
const BOT_STRIDE = 8;
/** First segment id of the contacts' histories (system prompts are op * BOT_STRIDE + bot). */
const HISTORY_BASE = KEY_STRIDE * 8;
/** Room for time in the composite sort key `time * ACTOR_SPACE + actor`. */
const ACTOR_SPACE = 2 ** 20;
const TEMPERATURES = ['Cold', 'Warm', 'Hot'] as const;
/** Default share of an op's input tokens that is its static system prompt + tools. */
const SYSTEM_SHARE = 0.6;
/** Default conversation-history growth per message (tokens) for ops that read the conversation. */
const HISTORY_TOKENS_PER_MESSAGE = 60;
/** The new message keeps at least this many tokens once the history is as long as it can be. */
const MIN_MESSAGE_TOKENS = 50;
/** Segment roles (SEGMENT_ROLES of src/trace/prefix.ts). */
const ROLE_SYSTEM = 0;
const ROLE_HISTORY = 1;
const ROLE_MESSAGE = 2;

/** Fixed op ids of the synthetic pipeline (indices into the scenario's op table). */
interface PipelineOps {
  memory: number;
  score: number;
  intent: number;
  market: number;
  response: number;
}

export interface SyntheticSource extends EventSource {
  readonly opNames: string[];
  readonly leads: number;
  readonly zipCodes: number;
  /** Readable contact id, e.g. `c00042`. */
  contactName(contact: number): string;
  /** Entity name: `contact:c00042` or `market:z017`. */
  entityName(entity: number): string;
  /** Zip code index of a contact. */
  zipOf(contact: number): number;
  /** The key string of a request event, following the op's key template. */
  keyString(ev: SimEvent): string;
  /** Temperature names for a contact state version (0 Cold, 1 Warm, 2 Hot). */
  temperature(version: number): string;
}

export interface SyntheticOptions {
  /**
   * Describe each LLM request's prompt as segments (system, history, message) for the provider
   * prompt cache (default true). A run without a prompt cache skips the work; the events are
   * otherwise the same.
   */
  prompts?: boolean;
}

/** Build the synthetic event stream of a scenario. Same scenario and seed → same events. */
export function createSyntheticSource(scenario: Scenario, opts: SyntheticOptions = {}): SyntheticSource {
  return new Generator(scenario, opts.prompts ?? true);
}

class Generator implements SyntheticSource {
  readonly opNames: string[];
  readonly leads: number;
  readonly zipCodes: number;
  readonly contacts: number;
  readonly entities: number;
  private readonly s: Scenario;
  private readonly rng: Rng;
  private readonly ops: PipelineOps;
  private readonly days: number;
  private readonly tenantOf: Int32Array;
  private readonly zip: Int32Array;
  private readonly seq: Int32Array;
  private readonly temp: Int32Array;
  private readonly lastIntent: Int32Array;
  private readonly marketVersion: Int32Array;
  private readonly botCounts: number[];
  private readonly botsCum: Float64Array;
  private readonly depthCum: Float64Array;
  private readonly gap: LatencySampler;
  private readonly tokensIn: Float64Array;
  private readonly tokensOut: Float64Array;
  /** Prompt structure per op: static system tokens and history growth per message (tokens). */
  private readonly systemTokens: Float64Array;
  private readonly historyPerMessage: Float64Array;
  /** Segment ids: systems below HISTORY_BASE, then one history per contact, then unique contents. */
  private readonly contentBase: number;
  /** Market keys are `zip * marketDays + day`. */
  private readonly marketDays: number;

  // Current day's schedule: composite keys `timeInDay * ACTOR_SPACE + actor`, sorted.
  private schedule = new Float64Array(0);
  private scheduleLen = 0;
  private scheduleIdx = 0;
  private day = -1;
  private msgId = 0;

  // Pending events of the current message's pipeline.
  private readonly pending: SimEvent[] = [];
  private pendingLen = 0;
  private pendingIdx = 0;
  /** A request to re-issue once its fields are complete (see `llm`). */
  private retryOf: SimEvent | null = null;
  constructor(
    scenario: Scenario,
    private readonly prompts: boolean,
  ) {
    this.s = scenario;
    const w = scenario.workload;
    this.opNames = Object.keys(scenario.ops);
    const id = (name: string) => {
      const i = this.opNames.indexOf(name);
      if (i < 0) throw new Error(`op ${name} missing from the scenario`);
      return i;
    };
    if (this.opNames.length > OP_STRIDE) throw new Error(`at most ${OP_STRIDE} ops are supported`);
    this.ops = { memory: id('memory'), score: id('score'), intent: id('intent'), market: id('market'), response: id('response') };
    this.leads = w.leads;
    this.zipCodes = w.zipCodes;
    this.contacts = w.leads;
    this.entities = w.leads + w.zipCodes;
    this.days = w.days;
    this.marketDays = Math.ceil(w.days) + 1;
    this.rng = new Rng(scenario.seed, 1);
    this.tenantOf = new Int32Array(w.leads);
    this.zip = new Int32Array(w.leads);
    this.seq = new Int32Array(w.leads);
    this.temp = new Int32Array(w.leads);
    this.lastIntent = new Int32Array(w.leads).fill(-1);
    this.marketVersion = new Int32Array(w.zipCodes);
    const setup = new Rng(scenario.seed, 2);
    for (let c = 0; c < w.leads; c++) {
      this.tenantOf[c] = c % w.tenants;
      // Zip codes are skewed: a few popular areas hold most leads.
      this.zip[c] = Math.min(w.zipCodes - 1, Math.floor(w.zipCodes * setup.next() ** 2));
    }
    const botCounts = Object.keys(w.botsPerMessage).map(Number).sort((a, b) => a - b);
    this.botsCum = cumulative(botCounts.map((k) => w.botsPerMessage[String(k)]!));
    this.botCounts = botCounts;
    this.depthCum = cumulative(MEMORY_DEPTHS.map((d) => w.depthMix[d]));
    this.gap = new LatencySampler({ p50: w.messageGapSec.p50 * 1000, p99: w.messageGapSec.p99 * 1000 });
    this.tokensIn = Float64Array.from(this.opNames.map((n) => scenario.ops[n]!.tokensIn));
    this.tokensOut = Float64Array.from(this.opNames.map((n) => scenario.ops[n]!.tokensOut));
    this.systemTokens = Float64Array.from(this.opNames.map((n) => {
      const o = scenario.ops[n]!;
      return Math.min(o.tokensIn, o.systemTokens ?? Math.round(o.tokensIn * SYSTEM_SHARE));
    }));
    this.historyPerMessage = Float64Array.from(this.opNames.map((n) => {
      const o = scenario.ops[n]!;
      return o.historyTokensPerMessage ?? (o.dependsOn === 'market' ? 0 : HISTORY_TOKENS_PER_MESSAGE);
    }));
    this.contentBase = HISTORY_BASE + w.leads;
    for (let i = 0; i < 64; i++) this.pending.push(newSimEvent());
  }

  spanMs(): number {
    return this.days * DAY_MS;
  }

  next(ev: SimEvent): boolean {
    while (this.pendingIdx >= this.pendingLen) {
      if (!this.advance()) return false;
    }
    copyEvent(this.pending[this.pendingIdx++]!, ev);
    return true;
  }

  /** Produce the next batch of pending events; false at the end of the trace. */
  private advance(): boolean {
    while (this.scheduleIdx >= this.scheduleLen) {
      this.day++;
      if (this.day >= Math.ceil(this.days)) return false;
      this.planDay();
    }
    const composite = this.schedule[this.scheduleIdx++]!;
    const inDay = Math.floor(composite / ACTOR_SPACE);
    const actor = composite - inDay * ACTOR_SPACE;
    const t = this.day * DAY_MS + inDay;
    if (t >= this.days * DAY_MS) {
      this.scheduleIdx = this.scheduleLen;
      return true;
    }
    this.pendingLen = 0;
    this.pendingIdx = 0;
    if (actor >= this.leads) this.marketUpdate(actor - this.leads, t);
    else this.message(actor, t);
    return true;
  }

  /** Message times of every active lead for the day, plus market updates, in time order. */
  private planDay(): void {
    const w = this.s.workload;
    const rng = this.rng;
    let n = 0;
    const maxEvents = this.leads * Math.ceil(w.messagesPerDay.max) + this.zipCodes * Math.ceil(w.marketUpdatesPerDay + 1);
    if (this.schedule.length < maxEvents) this.schedule = new Float64Array(maxEvents);
    const sched = this.schedule;
    for (let c = 0; c < this.leads; c++) {
      if (rng.next() >= w.activeDayProbability) continue;
      const messages = rng.int(Math.ceil(w.messagesPerDay.min), Math.floor(w.messagesPerDay.max));
      const sessions = Math.max(1, Math.min(messages, rng.int(w.sessionsPerDay.min, w.sessionsPerDay.max)));
      let left = messages;
      for (let si = 0; si < sessions; si++) {
        const inSession = si === sessions - 1 ? left : Math.max(1, Math.round(messages / sessions));
        left -= inSession;
        let at = WAKE_MS + rng.next() * AWAKE_MS;
        for (let m = 0; m < inSession && at < DAY_MS; m++) {
          sched[n++] = Math.floor(at) * ACTOR_SPACE + c;
          at += this.gap.sample(rng);
        }
        if (left <= 0) break;
      }
    }
    const updates = w.marketUpdatesPerDay;
    for (let z = 0; z < this.zipCodes; z++) {
      const k = Math.floor(updates) + (rng.next() < updates - Math.floor(updates) ? 1 : 0);
      for (let u = 0; u < k; u++) sched[n++] = Math.floor(rng.next() * DAY_MS) * ACTOR_SPACE + this.leads + z;
    }
    this.scheduleLen = n;
    this.scheduleIdx = 0;
    sched.subarray(0, n).sort();
  }

  private push(): SimEvent {
    if (this.pendingLen === this.pending.length) this.pending.push(newSimEvent());
    return this.pending[this.pendingLen++]!;
  }

  /** A state event: `entity` moved to `version`. */
  private stateChange(t: number, entity: number, version: number): SimEvent {
    const e = this.push();
    resetEvent(e, EVENT_STATE, t);
    e.entity = entity;
    e.version = version;
    return e;
  }

  private marketUpdate(z: number, t: number): void {
    this.stateChange(t, this.leads + z, ++this.marketVersion[z]!);
  }

  private message(c: number, t: number): void {
    const w = this.s.workload;
    const rng = this.rng;
    const msgId = this.msgId++;
    const seq = ++this.seq[c]!;
    const m = this.push();
    resetEvent(m, EVENT_MESSAGE, t);
    m.contact = c;
    m.tenant = this.tenantOf[c]!;
    m.seq = seq;
    // What the lead is asking about: sometimes the same thing again, in other words.
    let intent = this.lastIntent[c]!;
    if (intent < 0 || rng.next() >= w.repeatIntentRate) intent = rng.int(0, w.intents - 1);
    this.lastIntent[c] = intent;
    const paraphrase = rng.nextU32() & 0xffff;
    const bots = this.botCounts[rng.pick(this.botsCum)]!;
    const ops = this.ops;
    const day = Math.floor(t / DAY_MS);
    for (let b = 0; b < bots; b++) {
      const mem = this.request(ops.memory, c, t, ops.memory + KEY_STRIDE * c, -1, seq);
      mem.depth = rng.pick(this.depthCum);
      this.llm(ops.score, c, t, msgId, c, this.temp[c]!);
      if (b === 0 && this.temp[c]! < TEMPERATURES.length - 1 && rng.next() < w.stateChangeRate) {
        const st = this.stateChange(t, c, ++this.temp[c]!);
        st.contact = c;
        st.tenant = this.tenantOf[c]!;
      }
      this.llm(ops.intent, c, t, msgId, -1, 0);
      if (rng.next() < w.marketLookupRate) {
        const z = this.zip[c]!;
        this.llm(ops.market, c, t, z * this.marketDays + day, this.leads + z, this.marketVersion[z]!);
      }
      const r = this.llm(ops.response, c, t, msgId * BOT_STRIDE + b, c, this.temp[c]!);
      r.intent = intent;
      r.paraphrase = paraphrase ^ (b << 16);
      const u = rng.next();
      r.stream = u < w.streamRate;
      r.toolUse = !r.stream && u < w.streamRate + w.toolUseRate;
    }
    this.flushRetry();
  }

  /** An LLM request, possibly retried right after (same key, same everything). */
  private llm(op: number, c: number, t: number, unique: number, entity: number, version: number): SimEvent {
    const e = this.request(op, c, t, op + KEY_STRIDE * unique, entity, version);
    if (this.prompts) this.prefix(e, op, c, op === this.ops.response ? unique % BOT_STRIDE : 0, op === this.ops.market ? 2 * unique + 1 : 2 * (this.msgId - 1));
    if (this.rng.next() < this.s.workload.retryRate) {
      // The retry is issued after the original; fields are copied once the caller has set them.
      this.retryOf = e;
    }
    return e;
  }

  private request(op: number, c: number, t: number, key: number, entity: number, version: number): SimEvent {
    this.flushRetry();
    const e = this.push();
    resetEvent(e, EVENT_REQUEST, t);
    e.op = op;
    e.contact = c;
    e.tenant = this.tenantOf[c]!;
    e.key = key;
    e.entity = entity;
    e.version = version;
    e.tokensIn = this.tokensIn[op]!;
    e.tokensOut = this.tokensOut[op]!;
    return e;
  }

  /**
   * The prompt of an LLM request as segments: the op's (and bot's) static system prompt, the
   * contact's history so far (grows with every message), then the content unique to this call
   * (the new message, or the zip code's market data of the day).
   */
  private prefix(e: SimEvent, op: number, c: number, bot: number, content: number): void {
    const total = this.tokensIn[op]!;
    const system = this.systemTokens[op]!;
    const rest = total - system;
    const grown = (this.seq[c]! - 1) * this.historyPerMessage[op]!;
    const history = Math.max(0, Math.min(grown, rest - Math.min(rest, MIN_MESSAGE_TOKENS)));
    e.prefixKind = PREFIX_SEGMENTS;
    e.prefixLen = 3;
    e.prefixIds[0] = op * BOT_STRIDE + bot;
    e.prefixTokens[0] = system;
    e.prefixRoles[0] = ROLE_SYSTEM;
    e.prefixIds[1] = HISTORY_BASE + c;
    e.prefixTokens[1] = history;
    e.prefixRoles[1] = ROLE_HISTORY;
    e.prefixIds[2] = this.contentBase + content;
    e.prefixTokens[2] = rest - history;
    e.prefixRoles[2] = ROLE_MESSAGE;
  }

  /** Emit the pending retry as a copy of its original, now that the original is complete. */
  private flushRetry(): void {
    const orig = this.retryOf;
    if (orig === null) return;
    this.retryOf = null;
    const retry = this.push();
    copyEvent(orig, retry);
    // The truth is what holds when the retry runs: a state change may have come in between.
    if (retry.entity >= 0) retry.version = this.currentVersion(retry.entity);
  }

  private currentVersion(entity: number): number {
    return entity < this.leads ? this.temp[entity]! : this.marketVersion[entity - this.leads]!;
  }

  contactName(contact: number): string {
    return `c${String(contact).padStart(5, '0')}`;
  }

  entityName(entity: number): string {
    return entity < this.leads ? `contact:${this.contactName(entity)}` : `market:z${String(entity - this.leads).padStart(3, '0')}`;
  }

  zipOf(contact: number): number {
    return this.zip[contact]!;
  }

  temperature(version: number): string {
    return TEMPERATURES[Math.min(version, TEMPERATURES.length - 1)]!;
  }

  keyString(ev: SimEvent): string {
    const op = this.opNames[ev.op]!;
    const unique = Math.floor(ev.key / KEY_STRIDE);
    const contact = this.contactName(ev.contact);
    const hex = (n: number) => (Math.imul(n ^ 0x5bd1e995, 0x27d4eb2d) >>> 0).toString(16).padStart(8, '0');
    if (ev.op === this.ops.memory) return `${op}:${contact}`;
    if (ev.op === this.ops.score) return `${op}:${contact}:${hex(unique)}`;
    if (ev.op === this.ops.intent) return `${op}:${contact}:${hex(unique ^ 0x1234567)}`;
    if (ev.op === this.ops.response) return `${op}:${contact}:${hex(Math.floor(unique / BOT_STRIDE) ^ 0x1234567)}:bot${unique % BOT_STRIDE}`;
    const z = Math.floor(unique / this.marketDays);
    const day = unique % this.marketDays;
    return `${op}:z${String(z).padStart(3, '0')}:d${day}`;
  }
}

/**
 * The vector store of a semantic tier. Slots, capacity and eviction come from KeyedStore (the
 * project's one cache structure — its own, or the one of the simulator's tier instance it
 * annotates); this file adds, per slot, a unit vector (rows of one big Float32Array) and the
 * ground-truth fields, plus two search structures:
 *  - per-contact bucket lists, for contact-scoped search (a handful of entries per lookup);
 *  - pivot buckets, for tenant-scoped and unscoped search (built on the first such search, so a
 *    contact-scoped tier never pays for them). Each entry joins the nearest pivot
 *    and records its angle to it; by the triangle inequality on angles, an entry whose angle to
 *    the pivot differs from the query's by more than acos(threshold) cannot reach the threshold,
 *    so whole buckets and single entries are skipped without a dot product. The search is exact:
 *    it returns the same entry a brute-force scan would (tests compare both).
 * Expired entries are skipped and removed lazily when met; an index that owns its store also
 * keeps an expiry queue, purged on insert (an annotated store is reaped by its owner).
 */
import type { ScopeFilter } from '../config/model.js';
import { KeyedStore, type EvictionPolicy } from '../tiers/store.js';
import { dot } from '../vectors/embeddings.js';

export type { ScopeFilter };

/** Ground truth and bookkeeping stored with a vector. */
export interface SemanticEntryMeta {
  contact: number;
  tenant: number;
  /** Ground-truth intent id, or -1. */
  intent: number;
  /** Entity version the value was computed from. */
  version: number;
  /** Write time (ms). */
  createdAt: number;
  /** Logical expiry (ms); Infinity = never. */
  expiresAt: number;
  /** Op (key class) of the entry; searches given an op only match their own. Default: none. */
  op?: number;
}

export interface SemanticIndexOptions {
  dim: number;
  /** Annotate this store's slots (the owner inserts, then calls `attach`); default: a new store. */
  store?: KeyedStore;
  /** Entries; null = unbounded. */
  capacity: number | null;
  eviction?: EvictionPolicy;
  /** Cosine above which an entry joins an existing pivot instead of starting one. */
  pivotJoin?: number;
  maxPivots?: number;
  /**
   * Maintain pivot buckets from the start (default). When false they are built on the first
   * tenant-scoped or unscoped search; a tier that only searches by contact never pays for them.
   */
  pivots?: boolean;
}

const NONE = -1;
const EPS = 1e-6;

export class SemanticIndex {
  readonly dim: number;
  readonly store: KeyedStore;
  /** Similarity of the entry returned by the last `search` (cosine). */
  lastSimilarity = 0;
  /**
   * Whether the last `search` given a truth (intent >= 0) met an unexpired entry of the same
   * contact, tenant, intent and version (a correct hit was possible: the recall denominator).
   */
  lastAnswerable = false;
  /** Dot products computed by searches since creation (for measuring pruning). */
  comparisons = 0;
  vectors: Float32Array;
  contact: Int32Array;
  tenant: Int32Array;
  intent: Int32Array;
  /** Op (key class) of each entry, or -1: a search only matches entries of its own op. */
  op: Int32Array;

  private live: Uint8Array;
  private liveKey: Float64Array;
  // contact buckets
  private cHead = new Int32Array(256).fill(NONE);
  private cNext: Int32Array;
  private cPrev: Int32Array;
  // pivot buckets
  private readonly pivotJoin: number;
  private readonly maxPivots: number;
  private pivots: Float32Array;
  private pivotCount = 0;
  private pivotsOn: boolean;
  private pHead: Int32Array;
  private pMin: Float64Array;
  private pMax: Float64Array;
  private pSize: Int32Array;
  private pNext: Int32Array;
  private pPrev: Int32Array;
  private pivotOf: Int32Array;
  private angle: Float64Array;
  // expiry queue (slot, key, expiresAt), a growable ring
  private qSlot = new Int32Array(1024);
  private qKey = new Float64Array(1024);
  private qExp = new Float64Array(1024);
  private qHead = 0;
  private qLen = 0;
  // the scan in progress (searchContact, searchPivots): best entry so far and its cosine
  private scanBest = NONE;
  private scanSim = -Infinity;

  constructor(opts: SemanticIndexOptions) {
    this.dim = opts.dim;
    this.store = opts.store ?? new KeyedStore(opts.capacity ?? Number.POSITIVE_INFINITY, opts.eviction ?? 'lru');
    this.pivotJoin = opts.pivotJoin ?? 0.8;
    this.maxPivots = opts.maxPivots ?? 256;
    this.pivotsOn = opts.pivots ?? true;
    const n = this.store.keyOf.length;
    this.vectors = new Float32Array(n * this.dim);
    this.contact = new Int32Array(n);
    this.tenant = new Int32Array(n);
    this.intent = new Int32Array(n);
    this.op = new Int32Array(n).fill(NONE);
    this.live = new Uint8Array(n);
    this.liveKey = new Float64Array(n);
    this.cNext = new Int32Array(n);
    this.cPrev = new Int32Array(n);
    this.pNext = new Int32Array(n);
    this.pPrev = new Int32Array(n);
    this.pivotOf = new Int32Array(n);
    this.angle = new Float64Array(n);
    this.pivots = new Float32Array(this.maxPivots * this.dim);
    this.pHead = new Int32Array(this.maxPivots).fill(NONE);
    this.pMin = new Float64Array(this.maxPivots);
    this.pMax = new Float64Array(this.maxPivots);
    this.pSize = new Int32Array(this.maxPivots);
  }

  get size(): number {
    return this.store.size;
  }

  /** Key of the entry indexed at `slot`. */
  keyAt(slot: number): number {
    return this.liveKey[slot]!;
  }

  /** Whether `slot` is indexed (holds a vector). */
  isLive(slot: number): boolean {
    return this.live[slot] === 1;
  }

  contactOf(slot: number): number {
    return this.contact[slot]!;
  }
  tenantOf(slot: number): number {
    return this.tenant[slot]!;
  }

  /** Exact-key lookup: the live, unexpired slot of `key` (recency updated) or -1. */
  getExact(key: number, now: number): number {
    const slot = this.store.peek(key);
    if (slot === NONE) return NONE;
    if (this.store.expiresAt[slot]! <= now) {
      this.dropExpired(slot);
      return NONE;
    }
    this.store.touch(slot);
    return slot;
  }

  /** Insert or overwrite `key` in the store with the vector vec[off..off+dim); returns the slot (or -1). */
  insert(key: number, vec: Float32Array, off: number, m: SemanticEntryMeta): number {
    this.purgeExpired(m.createdAt);
    const slot = this.store.insert(key);
    if (slot === NONE) {
      if (this.store.lastEvictions > 0) this.dropEvicted(NONE); // a policy may evict and still not admit
      return NONE;
    }
    const s = this.store;
    s.expiresAt[slot] = m.expiresAt;
    s.createdAt[slot] = m.createdAt;
    s.version[slot] = m.version;
    this.attach(slot, key, vec, off, m.contact, m.tenant, m.intent, m.op ?? NONE);
    this.enqueue(slot, key, m.expiresAt);
    return slot;
  }

  /**
   * Index the entry the store just wrote at `slot` for `key` (expiry, creation time and version
   * are read from the store). Handles an overwrite and an eviction that reused the slot.
   */
  attach(slot: number, key: number, vec: Float32Array, off: number, contact: number, tenant: number, intent: number, op = NONE): void {
    this.ensureCapacity();
    const reused = this.live[slot] === 1 ? this.liveKey[slot]! : NONE;
    if (reused !== NONE) this.unlinkSlot(slot); // overwrite, or an evicted entry's slot reused
    const evicted = this.store.lastEvictedKey;
    if (this.store.lastEvictions > 1 || (evicted !== NONE && evicted !== reused)) this.dropEvicted(slot);
    this.contact[slot] = contact;
    this.tenant[slot] = tenant;
    this.intent[slot] = intent;
    this.op[slot] = op;
    const d = this.dim;
    const v = this.vectors;
    for (let i = 0, o = slot * d; i < d; i++) v[o + i] = vec[off + i]!;
    this.live[slot] = 1;
    this.liveKey[slot] = key;
    this.linkContact(slot, contact);
    if (this.pivotsOn) this.linkPivot(slot);
  }

  /** The store dropped `slot` (expiry, invalidation) on its own: forget it. */
  detach(slot: number): void {
    this.unlinkSlot(slot);
  }

  /**
   * Best live entry with cosine >= threshold within the scope, or -1; `lastSimilarity` holds its
   * cosine. Recency of the returned entry is updated. With a truth (`intent` >= 0, `version`),
   * `lastAnswerable` tells whether a correct entry was held (found in the same pass when the
   * search is contact-scoped).
   */
  search(vec: Float32Array, off: number, scope: ScopeFilter, contact: number, tenant: number, threshold: number, now: number, intent = NONE, version = 0, op = NONE): number {
    let best: number;
    if (scope === 'contact') best = this.searchContact(vec, off, contact, tenant, threshold, now, intent, version, op);
    else {
      this.lastAnswerable = intent !== NONE && this.hasEntry(contact, tenant, intent, version, now);
      best = this.searchPivots(vec, off, scope === 'tenant' ? tenant : NONE, threshold, now, op);
    }
    if (best !== NONE) this.store.touch(best);
    return best;
  }

  /** Brute-force reference search (tests and measurements); no recency update, no removal. */
  searchBrute(vec: Float32Array, off: number, scope: ScopeFilter, contact: number, tenant: number, threshold: number, now: number): number {
    let best = NONE;
    let bestSim = -Infinity;
    for (let slot = 0; slot < this.live.length; slot++) {
      if (this.live[slot] !== 1 || this.store.expiresAt[slot]! <= now) continue;
      if (scope === 'contact' && this.contactOf(slot) !== contact) continue;
      if (scope === 'tenant' && this.tenantOf(slot) !== tenant) continue;
      const sim = dot(vec, off, this.vectors, slot * this.dim, this.dim);
      if (sim >= threshold && sim > bestSim) {
        best = slot;
        bestSim = sim;
      }
    }
    this.lastSimilarity = best === NONE ? 0 : bestSim;
    return best;
  }

  /** Whether an unexpired entry of `contact` has this tenant, intent and entity version. */
  hasEntry(contact: number, tenant: number, intent: number, version: number, now: number): boolean {
    for (let s = contact < this.cHead.length ? this.cHead[contact]! : NONE; s !== NONE; s = this.cNext[s]!) {
      if (this.intent[s] === intent && this.tenant[s] === tenant && this.store.version[s] === version && this.store.expiresAt[s]! > now) return true;
    }
    return false;
  }

  /**
   * Forget an expired entry; remove it from the store unless the store already dropped it on its
   * own (a shared store may reap expired entries without telling the index).
   */
  private dropExpired(slot: number): void {
    const held = this.store.peek(this.liveKey[slot]!) === slot;
    this.unlinkSlot(slot);
    if (held) this.store.removeSlot(slot);
  }

  /** Drop entries whose expiry passed, oldest-queued first. */
  purgeExpired(now: number): void {
    while (this.qLen > 0) {
      const i = this.qHead;
      if (this.qExp[i]! > now) return;
      const slot = this.qSlot[i]!;
      const key = this.qKey[i]!;
      this.qHead = (i + 1) % this.qSlot.length;
      this.qLen--;
      if (this.live[slot] !== 1 || this.liveKey[slot] !== key) continue;
      const exp = this.store.expiresAt[slot]!;
      if (exp <= now) this.dropExpired(slot);
      else this.enqueue(slot, key, exp); // refreshed since queued
    }
  }

  private searchContact(vec: Float32Array, off: number, contact: number, tenant: number, threshold: number, now: number, intent: number, version: number, op: number): number {
    this.scanStart();
    let answerable = false;
    // Every entry of the contact is met: an expired one is dropped whatever its op.
    for (let s = contact < this.cHead.length ? this.cHead[contact]! : NONE; s !== NONE; ) {
      const next = this.cNext[s]!;
      if (this.consider(s, op === NONE || this.op[s] === op, vec, off, threshold, now) && intent !== NONE && this.intent[s] === intent && this.tenant[s] === tenant && this.store.version[s] === version)
        answerable = true;
      s = next;
    }
    this.lastAnswerable = answerable;
    return this.scanEnd();
  }

  private searchPivots(vec: Float32Array, off: number, tenant: number, threshold: number, now: number, op: number): number {
    if (!this.pivotsOn) this.buildPivots();
    const d = this.dim;
    const maxAngle = threshold >= 1 ? EPS : threshold <= -1 ? Math.PI : Math.acos(threshold) + EPS;
    this.scanStart();
    for (let p = 0; p < this.pivotCount; p++) {
      if (this.pSize[p] === 0) continue;
      const qa = Math.acos(clamp1(dot(vec, off, this.pivots, p * d, d)));
      const gap = qa < this.pMin[p]! ? this.pMin[p]! - qa : qa > this.pMax[p]! ? qa - this.pMax[p]! : 0;
      if (gap > maxAngle) continue;
      // Only entries that pass the angle, tenant and op filters are met (and dropped when expired).
      for (let s = this.pHead[p]!; s !== NONE; ) {
        const next = this.pNext[s]!;
        if (Math.abs(qa - this.angle[s]!) <= maxAngle && (tenant === NONE || this.tenantOf(s) === tenant) && (op === NONE || this.op[s] === op)) this.consider(s, true, vec, off, threshold, now);
        s = next;
      }
    }
    return this.scanEnd();
  }

  private scanStart(): void {
    this.scanBest = NONE;
    this.scanSim = -Infinity;
  }

  /**
   * One entry met by a scan: dropped when expired; otherwise, when it `matches` the search,
   * compared with the query (the best at or above the threshold is kept). True when compared.
   */
  private consider(s: number, matches: boolean, vec: Float32Array, off: number, threshold: number, now: number): boolean {
    if (this.store.expiresAt[s]! <= now) {
      this.dropExpired(s);
      return false;
    }
    if (!matches) return false;
    this.comparisons++;
    const d = this.dim;
    const sim = dot(vec, off, this.vectors, s * d, d);
    if (sim >= threshold && sim > this.scanSim) {
      this.scanBest = s;
      this.scanSim = sim;
    }
    return true;
  }

  /** The scan's best entry (or -1); `lastSimilarity` is its cosine. */
  private scanEnd(): number {
    const best = this.scanBest;
    this.lastSimilarity = best === NONE ? 0 : this.scanSim;
    return best;
  }

  // ---- bucket bookkeeping -------------------------------------------------------------------

  private linkContact(slot: number, contact: number): void {
    if (contact >= this.cHead.length) {
      let n = this.cHead.length;
      while (n <= contact) n *= 2;
      const h = new Int32Array(n).fill(NONE);
      h.set(this.cHead);
      this.cHead = h;
    }
    const head = this.cHead[contact]!;
    this.cPrev[slot] = NONE;
    this.cNext[slot] = head;
    if (head !== NONE) this.cPrev[head] = slot;
    this.cHead[contact] = slot;
  }

  /** Turn pivot buckets on and put every indexed entry in one. */
  private buildPivots(): void {
    this.pivotsOn = true;
    for (let s = 0; s < this.live.length; s++) if (this.live[s] === 1) this.linkPivot(s);
  }

  private linkPivot(slot: number): void {
    const d = this.dim;
    let bestP = NONE;
    let bestCos = -Infinity;
    for (let p = 0; p < this.pivotCount; p++) {
      const c = dot(this.vectors, slot * d, this.pivots, p * d, d);
      if (c > bestCos) {
        bestCos = c;
        bestP = p;
      }
    }
    if ((bestP === NONE || bestCos < this.pivotJoin) && this.pivotCount < this.maxPivots) {
      bestP = this.pivotCount++;
      this.pivots.set(this.vectors.subarray(slot * d, slot * d + d), bestP * d);
      bestCos = dot(this.vectors, slot * d, this.pivots, bestP * d, d);
    }
    const a = Math.acos(clamp1(bestCos));
    this.pivotOf[slot] = bestP;
    this.angle[slot] = a;
    if (this.pSize[bestP] === 0) {
      this.pMin[bestP] = a;
      this.pMax[bestP] = a;
    } else {
      if (a < this.pMin[bestP]!) this.pMin[bestP] = a;
      if (a > this.pMax[bestP]!) this.pMax[bestP] = a;
    }
    this.pSize[bestP]!++;
    const head = this.pHead[bestP]!;
    this.pPrev[slot] = NONE;
    this.pNext[slot] = head;
    if (head !== NONE) this.pPrev[head] = slot;
    this.pHead[bestP] = slot;
  }

  /** Take a slot out of both bucket lists (the store entry itself is left to the caller). */
  private unlinkSlot(slot: number): void {
    if (this.live[slot] !== 1) return;
    this.live[slot] = 0;
    const c = this.contactOf(slot);
    const cp = this.cPrev[slot]!;
    const cn = this.cNext[slot]!;
    if (cp !== NONE) this.cNext[cp] = cn;
    else this.cHead[c] = cn;
    if (cn !== NONE) this.cPrev[cn] = cp;
    if (!this.pivotsOn) return;
    const p = this.pivotOf[slot]!;
    const pp = this.pPrev[slot]!;
    const pn = this.pNext[slot]!;
    if (pp !== NONE) this.pNext[pp] = pn;
    else this.pHead[p] = pn;
    if (pn !== NONE) this.pPrev[pn] = pp;
    this.pSize[p]!--;
  }

  /**
   * An eviction freed slots other than the one reused (`keep`): find and unlink every live entry
   * the store no longer holds (rare: one eviction per insert reuses its slot, except for policies
   * that evict several, such as W-TinyLFU).
   */
  private dropEvicted(keep: number): void {
    for (let s = 0; s < this.live.length; s++) {
      if (s !== keep && this.live[s] === 1 && this.store.peek(this.liveKey[s]!) !== s) this.unlinkSlot(s);
    }
  }

  private enqueue(slot: number, key: number, exp: number): void {
    if (!Number.isFinite(exp)) return;
    if (this.qLen === this.qSlot.length) {
      const n = this.qSlot.length * 2;
      const order = (a: Int32Array | Float64Array, b: Int32Array | Float64Array) => {
        for (let i = 0; i < this.qLen; i++) b[i] = a[(this.qHead + i) % a.length]!;
      };
      const s = new Int32Array(n);
      const k = new Float64Array(n);
      const e = new Float64Array(n);
      order(this.qSlot, s);
      order(this.qKey, k);
      order(this.qExp, e);
      this.qSlot = s;
      this.qKey = k;
      this.qExp = e;
      this.qHead = 0;
    }
    const i = (this.qHead + this.qLen) % this.qSlot.length;
    this.qSlot[i] = slot;
    this.qKey[i] = key;
    this.qExp[i] = exp;
    this.qLen++;
  }

  /** Grow the per-slot arrays when the store grew. */
  private ensureCapacity(): void {
    const n = this.store.keyOf.length;
    if (n <= this.live.length) return;
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const v = new Float32Array(n * this.dim);
    v.set(this.vectors);
    this.vectors = v;
    this.contact = g32(this.contact);
    this.tenant = g32(this.tenant);
    this.intent = g32(this.intent);
    this.op = g32(this.op);
    const live = new Uint8Array(n);
    live.set(this.live);
    this.live = live;
    const lk = new Float64Array(n);
    lk.set(this.liveKey);
    this.liveKey = lk;
    this.cNext = g32(this.cNext);
    this.cPrev = g32(this.cPrev);
    this.pNext = g32(this.pNext);
    this.pPrev = g32(this.pPrev);
    this.pivotOf = g32(this.pivotOf);
    const an = new Float64Array(n);
    an.set(this.angle);
    this.angle = an;
  }
}

function clamp1(x: number): number {
  return x > 1 ? 1 : x < -1 ? -1 : x;
}

/**
 * Naive, obviously-correct cache policies for checking the replay against: arrays scanned
 * linearly, oldest entry first. Deliberately independent of src/tiers/store.ts (W-TinyLFU shares
 * only the frequency sketch, so admission decisions compare the same estimates).
 */
import { FrequencySketch } from '../../src/tiers/sketch.js';

export interface RefCache {
  /** One request; true on a hit. */
  access(key: number, weight: number): boolean;
}

interface Entry {
  key: number;
  w: number;
  visited: boolean;
}

/**
 * LRU and FIFO: one queue, oldest entry first; a miss evicts from the oldest end until the new
 * entry fits, then appends it. They differ only on a hit: LRU moves the entry to the newest end,
 * FIFO changes nothing.
 */
function refQueue(capacity: number, moveOnHit: boolean): RefCache {
  const q: Entry[] = [];
  let used = 0;
  return {
    access(key, w) {
      const i = q.findIndex((e) => e.key === key);
      if (i >= 0) {
        if (moveOnHit) q.push(q.splice(i, 1)[0]!);
        return true;
      }
      if (w > capacity) return false;
      while (q.length > 0 && used + w > capacity) used -= q.shift()!.w;
      q.push({ key, w, visited: false });
      used += w;
      return false;
    },
  };
}

const refLru = (capacity: number): RefCache => refQueue(capacity, true);
const refFifo = (capacity: number): RefCache => refQueue(capacity, false);

/**
 * SIEVE (Zhang et al., NSDI '24): a hit sets the visited bit; to evict, the hand starts at the
 * oldest entry (or where it stopped), clears visited bits moving toward newer entries (wrapping to
 * the oldest), and evicts the first unvisited entry; the hand then rests on the next newer one.
 * New entries go to the newest end.
 */
function refSieve(capacity: number): RefCache {
  const q: Entry[] = []; // index 0 = oldest
  let used = 0;
  let hand: number | null = null;
  return {
    access(key, w) {
      const e = q.find((x) => x.key === key);
      if (e) {
        e.visited = true;
        return true;
      }
      if (w > capacity) return false;
      while (q.length > 0 && used + w > capacity) {
        let h = hand ?? 0;
        while (q[h]!.visited) {
          q[h]!.visited = false;
          h = h + 1 === q.length ? 0 : h + 1;
        }
        used -= q[h]!.w;
        q.splice(h, 1); // the newer neighbour slides into index h
        hand = h < q.length ? h : null;
      }
      q.push({ key, w, visited: false });
      used += w;
      return false;
    },
  };
}


/** Arrays as queues, index 0 = oldest; entries carry a counter (reference bit, frequency). */
interface Item {
  key: number;
  w: number;
  f: number;
}
const weightOf = (q: Item[]) => q.reduce((s, e) => s + e.w, 0);
const find = (q: Item[], key: number) => q.findIndex((e) => e.key === key);

/**
 * CLOCK (FIFO with reinsertion, one bit): a hit sets the bit; to evict, look at the oldest entry:
 * with its bit set it goes to the newest end with the bit cleared, otherwise it is evicted.
 */
function refClock(capacity: number): RefCache {
  const q: Item[] = [];
  return {
    access(key, w) {
      const i = find(q, key);
      if (i >= 0) {
        q[i]!.f = 1;
        return true;
      }
      if (w > capacity) return false;
      while (q.length > 0 && weightOf(q) + w > capacity) {
        const e = q.shift()!;
        if (e.f === 1) q.push({ ...e, f: 0 });
      }
      q.push({ key, w, f: 0 });
      return false;
    },
  };
}

/** A FIFO of remembered keys bounded by weight (the ghosts of 2Q and S3-FIFO). */
function ghostFifo(capacity: number) {
  const q: Item[] = [];
  return {
    /** Remove `key`; true if it was remembered. */
    take(key: number): boolean {
      const i = find(q, key);
      if (i < 0) return false;
      q.splice(i, 1);
      return true;
    },
    remember(key: number, w: number): void {
      if (w > capacity || find(q, key) >= 0) return;
      while (weightOf(q) + w > capacity) q.shift();
      q.push({ key, w, f: 0 });
    },
  };
}

/**
 * 2Q (Johnson and Shasha, VLDB 94; libCacheSim defaults): Ain FIFO of floor(C/4), Am LRU of the
 * rest, Aout ghost FIFO of floor(C/2). A new key enters Ain; a key found in Aout enters Am (which
 * then evicts its own LRU entries to fit). Room is made from Ain (its oldest goes to Aout) while
 * Ain holds more than its share, else from Am's LRU end. Entries heavier than Ain are not cached.
 */
function ref2q(capacity: number): RefCache {
  const ainCap = Math.floor(capacity * 0.25);
  const amCap = capacity - ainCap;
  const ain: Item[] = [];
  const am: Item[] = [];
  const aout = ghostFifo(Math.floor(capacity * 0.5));
  return {
    access(key, w) {
      if (find(ain, key) >= 0) return true;
      const j = find(am, key);
      if (j >= 0) {
        am.push(am.splice(j, 1)[0]!);
        return true;
      }
      const seen = aout.take(key);
      if (w > ainCap || w > capacity) return false;
      while (weightOf(ain) + weightOf(am) + w > capacity) {
        if (weightOf(ain) > ainCap || am.length === 0) {
          const e = ain.shift()!;
          aout.remember(e.key, e.w);
        } else am.shift();
      }
      if (seen) {
        while (am.length > 0 && weightOf(am) + w > amCap) am.shift();
        am.push({ key, w, f: 0 });
      } else ain.push({ key, w, f: 0 });
      return false;
    },
  };
}

/**
 * ARC (Megiddo and Modha, FAST 03) as libCacheSim runs it: T1/T2 hold data, B1/B2 ghosts, p is
 * a float. A hit moves the entry to T2's MRU end. A miss found in B1 raises p by
 * max(|B2|/|B1|, 1), one in B2 lowers it by max(|B1|/|B2|, 1); then each eviction is REPLACE.
 * A miss found nowhere first trims the ghosts (case IV) and then REPLACEs, or evicts T1's LRU
 * without a ghost when T1 alone fills the cache.
 */
function refArc(capacity: number): RefCache {
  const t1: Item[] = [];
  const t2: Item[] = [];
  const b1: Item[] = [];
  const b2: Item[] = [];
  let p = 0;
  const replace = (inB2: boolean) => {
    const w1 = weightOf(t1);
    if ((w1 > 0 && (w1 > p || (w1 === p && inB2))) || weightOf(t2) === 0) b1.push(t1.shift()!);
    else b2.push(t2.shift()!);
  };
  return {
    access(key, w) {
      for (const t of [t1, t2]) {
        const i = find(t, key);
        if (i >= 0) {
          t2.push(t.splice(i, 1)[0]!);
          return true;
        }
      }
      let ghost = 0;
      const i1 = find(b1, key);
      const i2 = find(b2, key);
      if (i1 >= 0) {
        p = Math.min(p + Math.max(weightOf(b2) / weightOf(b1), 1), capacity);
        b1.splice(i1, 1);
        ghost = 1;
      } else if (i2 >= 0) {
        p = Math.max(p - Math.max(weightOf(b1) / weightOf(b2), 1), 0);
        b2.splice(i2, 1);
        ghost = 2;
      }
      if (w > capacity) return false;
      while (weightOf(t1) + weightOf(t2) + w > capacity) {
        if (ghost !== 0) replace(ghost === 2);
        else if (weightOf(t1) + weightOf(b1) + w > capacity) {
          if (weightOf(b1) > 0) {
            b1.shift();
            replace(false);
          } else t1.shift();
        } else {
          if (weightOf(t1) + weightOf(b1) + weightOf(t2) + weightOf(b2) >= 2 * capacity && weightOf(b2) > 0) b2.shift();
          replace(false);
        }
      }
      (ghost !== 0 ? t2 : t1).push({ key, w, f: 0 });
      return false;
    },
  };
}

/**
 * S3-FIFO (Yang et al., SOSP 23) with libCacheSim's defaults: small FIFO floor(C/10), main FIFO
 * the rest, ghost FIFO floor(0.9 C). Hits count up to 3. New keys enter small (main if found in
 * the ghost, or while small is full before the first eviction). Evict from main when it is over
 * its share or small is empty: its oldest entry goes back with one count spent, or is evicted at
 * zero. Otherwise from small: an entry hit twice or more moves to main with count 0, else it is
 * evicted into the ghost. A key not lighter than small is not cached (after making room).
 */
function refS3fifo(capacity: number): RefCache {
  const smallCap = Math.floor(capacity * 0.1);
  const mainCap = capacity - smallCap;
  const small: Item[] = [];
  const main: Item[] = [];
  const ghost = ghostFifo(Math.floor(capacity * 0.9));
  let evictedOnce = false;
  const evictOne = () => {
    evictedOnce = true;
    if (weightOf(main) > mainCap || small.length === 0) {
      while (main.length > 0) {
        const e = main.shift()!;
        if (e.f === 0) return;
        main.push({ ...e, f: e.f - 1 });
      }
      return;
    }
    while (small.length > 0) {
      const e = small.shift()!;
      if (e.f >= 2) main.push({ ...e, f: 0 });
      else {
        ghost.remember(e.key, e.w);
        return;
      }
    }
  };
  return {
    access(key, w) {
      for (const q of [small, main]) {
        const i = find(q, key);
        if (i >= 0) {
          q[i]!.f = Math.min(q[i]!.f + 1, 3);
          return true;
        }
      }
      const seen = ghost.take(key);
      if (w > smallCap || w > capacity) return false;
      while (small.length + main.length > 0 && weightOf(small) + weightOf(main) + w > capacity) evictOne();
      if (seen) main.push({ key, w, f: 0 });
      else if (w >= smallCap) return false;
      else if (!evictedOnce && weightOf(small) >= smallCap) main.push({ key, w, f: 0 });
      else small.push({ key, w, f: 0 });
      return false;
    },
  };
}

/**
 * W-TinyLFU (Einziger et al., ACM ToS 17) with libCacheSim's defaults: window LRU floor(C/100),
 * main SLRU of the rest (probation 1/5, protected 4/5), and the same frequency sketch as the
 * store (the sketch is a component; this checks the queues and the admission rule). A new key
 * enters the window and is counted; a main hit is counted (ageing every 32 × main hits). To make
 * room, window victims move to main while it has room; then a victim enters main only if its
 * estimate beats main's victim (which is evicted), until one victim is rejected.
 */
function refTinyLfu(capacity: number): RefCache {
  const winCap = Math.floor(capacity * 0.01);
  const mainCap = capacity - winCap;
  const probCap = Math.floor(0.2 * mainCap);
  const protCap = Math.floor(0.8 * mainCap);
  const win: Item[] = [];
  const prob: Item[] = [];
  const prot: Item[] = [];
  const sketch = new FrequencySketch(mainCap, 0.001);
  let hits = 0;
  const mainVictim = () => (prob.length > 0 ? prob[0]! : prot[0]!);
  const dropMainVictim = () => (prob.length > 0 ? prob.shift() : prot.shift());
  const toMain = (e: Item) => {
    if (weightOf(prob) + e.w <= probCap) prob.push(e);
    else if (weightOf(prot) + e.w <= protCap) prot.push(e);
    else {
      while (weightOf(prob) + weightOf(prot) + e.w > mainCap && prob.length + prot.length > 0) dropMainVictim();
      prob.push(e);
    }
  };
  const evictOne = () => {
    for (;;) {
      if (win.length === 0) {
        dropMainVictim();
        return;
      }
      const v = win[0]!;
      let done = false;
      if (weightOf(prob) + weightOf(prot) + v.w <= mainCap) toMain(win.shift()!);
      else if (sketch.estimate(v.key) > sketch.estimate(mainVictim().key)) {
        dropMainVictim();
        toMain(win.shift()!);
      } else {
        win.shift();
        done = true;
      }
      sketch.add(v.key);
      if (done) return;
    }
  };
  return {
    access(key, w) {
      const i = find(win, key);
      if (i >= 0) {
        win.push(win.splice(i, 1)[0]!);
        return true;
      }
      const j = find(prot, key);
      const k = find(prob, key);
      if (j >= 0 || k >= 0) {
        if (j >= 0) prot.push(prot.splice(j, 1)[0]!);
        else {
          prot.push(prob.splice(k, 1)[0]!);
          while (weightOf(prot) > protCap) prob.push(prot.shift()!);
        }
        sketch.add(key);
        if (++hits >= 32 * mainCap) {
          hits = 0;
          sketch.age();
        }
        return true;
      }
      if (w > capacity || w > winCap || w > mainCap) return false;
      while (win.length + prob.length + prot.length > 0 && weightOf(win) + weightOf(prob) + weightOf(prot) + w > capacity) evictOne();
      win.push({ key, w, f: 0 });
      sketch.add(key);
      return false;
    },
  };
}

/**
 * Belady's OPT over a whole trace: on a miss, evict the held key whose next request is furthest
 * away (never again = infinitely far) until the new one fits, then insert it. Returns per-request
 * hits. Quadratic: scans the future for each candidate.
 */
export function refOpt(keys: number[], weights: number[], capacity: number): boolean[] {
  const held: Item[] = [];
  const nextUse = (key: number, from: number) => {
    for (let j = from; j < keys.length; j++) if (keys[j] === key) return j;
    return Number.POSITIVE_INFINITY;
  };
  return keys.map((key, i) => {
    if (find(held, key) >= 0) return true;
    const w = weights[i]!;
    if (w > capacity) return false;
    while (held.length > 0 && weightOf(held) + w > capacity) {
      let worst = 0;
      let worstNext = -1;
      held.forEach((e, idx) => {
        const n = nextUse(e.key, i + 1);
        if (n > worstNext) {
          worst = idx;
          worstNext = n;
        }
      });
      held.splice(worst, 1);
    }
    held.push({ key, w, f: 0 });
    return false;
  });
}

export const REFERENCES = {
  lru: refLru,
  fifo: refFifo,
  sieve: refSieve,
  clock: refClock,
  '2q': ref2q,
  arc: refArc,
  s3fifo: refS3fifo,
  tinylfu: refTinyLfu,
} as const;

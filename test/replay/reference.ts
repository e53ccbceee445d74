/**
 * Naive, obviously-correct cache policies for checking the replay against: arrays scanned
 * linearly, oldest entry first. Deliberately independent of src/tiers/store.ts.
 */
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

export const REFERENCES = { lru: refLru, fifo: refFifo, sieve: refSieve } as const;

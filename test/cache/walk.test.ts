/**
 * The shared request walk (src/cache/walk.ts) on its own: a tiny synchronous driver over Maps,
 * no Redis, no PGlite, no simulator. Each test pins one rule both engines rely on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLive, NO_ENTITY, type CachedEntry } from '../../src/cache/entry.ts';
import { END, FULL_DEPTH, RequestWalk, WalkPlan } from '../../src/cache/walk.ts';
import { defaultScenario, tier, type Scenario } from '../../src/config.ts';

const OPS = ['memory', 'score'];
const MEMORY = 0;
const SCORE = 1;
const RECENT10 = 0;
const RECENT100 = 1;

/** L1 (worker, recent10), L2 (shared, recent100), L3 (shared, system of record); score cached in L1 and L2 only. */
function scenario(over: { workers?: number; invalidation?: Scenario['invalidation']; l1?: Partial<ReturnType<typeof tier>> } = {}): Scenario {
  const s = defaultScenario();
  s.workers = { count: over.workers ?? 2, routing: 'round-robin' };
  s.invalidation = over.invalidation ?? 'local';
  s.tiers = [
    tier('L1', 'memory', 'worker', { memoryDepth: 'recent10', ttl: { memory: 60, score: 60 }, ...over.l1 }),
    tier('L2', 'redis', 'shared', { memoryDepth: 'recent100', ttl: { memory: 600, score: 600 } }),
    tier('L3', 'pgvector', 'shared', { memoryDepth: 'full', systemOfRecord: true, ttl: { memory: 3600 } }),
  ];
  return s;
}

/** The stores of the driver: per tier, per instance, key -> entry. */
type Stores = Map<number, CachedEntry>[][];

interface Request {
  op: number;
  depth?: number;
  worker?: number;
  t: number;
  version?: number;
  entity?: number;
  key?: number;
}

/** Serve one request the way both engines do: look up, then write what the walk asks for. */
function serve(plan: WalkPlan, stores: Stores, r: Request): { walk: RequestWalk; written: number[] } {
  const walk = new RequestWalk(plan);
  const context = r.op === MEMORY;
  const key = r.key ?? 1;
  const entity = r.entity ?? 0;
  walk.begin(r.op, context, r.depth ?? RECENT10, r.worker ?? 0, r.t, r.version ?? 0, 0);
  for (let k = walk.nextLookup(); k !== END; k = walk.nextLookup()) {
    if (walk.servedByRecord(k)) break;
    const store = stores[k]![walk.instance(k)]!;
    const e = store.get(key);
    if (!e) continue;
    if (!isLive(r.t, e.expiresAt, e.entity, e.gen, walk.generations(k))) {
      store.delete(key);
      continue;
    }
    if (walk.found(k, e.createdAt, e.version, e.aux)) break;
  }
  walk.settle();
  const written: number[] = [];
  for (let k = walk.nextWrite(); k !== END; k = walk.nextWrite()) {
    written.push(k);
    stores[k]![walk.instance(k)]!.set(key, {
      expiresAt: r.t + walk.writeTtl(k),
      createdAt: walk.createdAt,
      version: walk.version,
      entity: context ? NO_ENTITY : entity,
      gen: walk.gen(k, entity),
      aux: context ? walk.windowDepth(k) : -1,
      contact: 0,
      tenant: 0,
    });
  }
  return { walk, written };
}

function setup(s: Scenario): { plan: WalkPlan; stores: Stores } {
  const plan = new WalkPlan(s, OPS, s.workers.count, 4, 4);
  return { plan, stores: plan.tiers.map((t) => t.gens.map(() => new Map())) };
}

test('a full miss writes back to every tier caching the op, never to one without a ttl for it', () => {
  const { plan, stores } = setup(scenario());
  const { walk, written } = serve(plan, stores, { op: SCORE, t: 0 });
  assert.equal(walk.hitTier, END);
  assert.deepEqual(written, [0, 1]);
  assert.deepEqual(Array.from(plan.tiers.map((t) => t.lookups[SCORE])), [1, 1, 0], 'L3 has no ttl for score: not visited, not counted');
});

test('a hit back-fills the tiers above it with the ORIGINAL version and creation time; the back-filled copy then serves a stale hit', () => {
  const { plan, stores } = setup(scenario({ invalidation: 'none' }));
  serve(plan, stores, { op: SCORE, t: 500, version: 1, worker: 0 });
  // Worker 1's L1 is empty: L2 serves version 1 to a request that already sees version 2 (no invalidation).
  const second = serve(plan, stores, { op: SCORE, t: 1000, version: 2, worker: 1 });
  assert.equal(second.walk.hitTier, 1);
  assert.deepEqual(second.written, [0]);
  const backfilled = stores[0]![1]!.get(1)!;
  assert.equal(backfilled.version, 1, 'a back-fill stamping the current version would hide the staleness');
  assert.equal(backfilled.createdAt, 500, 'the miss wrote the time it computed the value; the back-fill keeps it');
  const third = serve(plan, stores, { op: SCORE, t: 2000, version: 2, worker: 1 });
  assert.equal(third.walk.hitTier, 0);
  assert.deepEqual(Array.from(plan.tiers.map((t) => t.stale[SCORE])), [1, 1, 0]);
});

test('a tier without backfill is not written after a hit below it', () => {
  const { plan, stores } = setup(scenario({ l1: { backfill: false } }));
  serve(plan, stores, { op: SCORE, t: 0, worker: 0 });
  assert.deepEqual(serve(plan, stores, { op: SCORE, t: 1, worker: 1 }).written, []);
});

test('a context read deeper than a tier window passes it over without a call (not a lookup); the system of record serves it (a read apart from lookups and hits)', () => {
  const { plan, stores } = setup(scenario());
  const { walk, written } = serve(plan, stores, { op: MEMORY, depth: FULL_DEPTH, t: 0 });
  assert.equal(walk.hitTier, 2);
  assert.equal(walk.hitEntry, false);
  assert.deepEqual(Array.from(plan.tiers.map((t) => t.lookups[MEMORY])), [0, 0, 0]);
  assert.equal(plan.tiers[2]!.sorReads, 1);
  assert.deepEqual(Array.from(plan.tiers.map((t) => t.hits[MEMORY])), [0, 0, 0]);
  // Written above the system of record, each window as deep as the tier holds.
  assert.deepEqual(written, [0, 1]);
  assert.equal(stores[0]![0]!.get(1)!.aux, RECENT10);
  assert.equal(stores[1]![0]!.get(1)!.aux, RECENT100);
});

test('a cached window shallower than the read is a miss; a back-filled window is no deeper than what was found', () => {
  const { plan, stores } = setup(scenario());
  stores[1]![0]!.set(1, { expiresAt: 1e9, createdAt: 0, version: 0, entity: NO_ENTITY, gen: 0, aux: RECENT10, contact: 0, tenant: 0 });
  const deep = serve(plan, stores, { op: MEMORY, depth: RECENT100, t: 1 });
  assert.equal(deep.walk.hitTier, 2, 'L2 holds only recent10: the recent100 read falls through to the system of record');
  stores[0]![0]!.clear();
  stores[1]![0]!.set(1, { expiresAt: 1e9, createdAt: 0, version: 0, entity: NO_ENTITY, gen: 0, aux: RECENT10, contact: 0, tenant: 0 });
  const shallow = serve(plan, stores, { op: MEMORY, depth: RECENT10, t: 2 });
  assert.equal(shallow.walk.hitTier, 1);
  assert.equal(shallow.walk.windowDepth(0), RECENT10);
});

test('an entry is a miss from the instant it expires (now >= expiresAt), not one millisecond later', () => {
  const { plan, stores } = setup(scenario());
  serve(plan, stores, { op: SCORE, t: 0 });
  assert.equal(serve(plan, stores, { op: SCORE, t: 59_999 }).walk.hitTier, 0);
  assert.equal(serve(plan, stores, { op: SCORE, t: 60_000 }).walk.hitTier, 1, 'L1 (60 s) expired exactly now; L2 (600 s) serves');
});

test('an invalidation bumps the generation only in the instances its mode reaches', () => {
  for (const [mode, expectL1Worker1] of [
    ['local', 0],
    ['broadcast', 1],
  ] as const) {
    const { plan, stores } = setup(scenario({ invalidation: mode }));
    serve(plan, stores, { op: SCORE, t: 0, entity: 3, worker: 0 });
    serve(plan, stores, { op: SCORE, t: 1, entity: 3, worker: 1 }); // back-fills worker 1's L1
    plan.invalidate(0, 3);
    assert.equal(plan.tiers[0]!.gens[0]!.of(3), 1);
    assert.equal(plan.tiers[0]!.gens[1]!.of(3), expectL1Worker1, mode);
    assert.equal(plan.tiers[1]!.gens[0]!.of(3), 1, 'a shared tier is always reached');
    const r = serve(plan, stores, { op: SCORE, t: 2, entity: 3, worker: 1 });
    assert.equal(r.walk.hitTier, mode === 'local' ? 0 : END, mode);
  }
  const none = setup(scenario({ invalidation: 'none' }));
  none.plan.invalidate(0, 3);
  assert.equal(none.plan.invalidations, 0);
});

test('velocity-adaptive write TTLs shorten for a fast conversation', () => {
  const s = scenario({ l1: { adaptiveTtl: { refPerHour: 1, exponent: 1, minFactor: 0.1, maxFactor: 1 } } });
  const { plan, stores } = setup(s);
  for (let i = 0; i < 10; i++) plan.message(0, i * 60_000); // a message a minute: 60 an hour
  const { walk } = serve(plan, stores, { op: SCORE, t: 10 * 60_000 });
  assert.ok(walk.writeTtl(0) < 60_000, `adaptive TTL ${walk.writeTtl(0)} ms`);
  assert.equal(walk.writeTtl(1), 600_000, 'L2 has no adaptive TTL');
});

test('a warm-up walk (measure false) counts nothing', () => {
  const { plan } = setup(scenario());
  const walk = new RequestWalk(plan);
  walk.measure = false;
  walk.begin(SCORE, false, RECENT10, 0, 0, 0, 0);
  while (walk.nextLookup() !== END);
  walk.settle();
  assert.deepEqual(Array.from(plan.tiers.map((t) => t.lookups[SCORE])), [0, 0, 0]);
});

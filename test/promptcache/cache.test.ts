/**
 * The prompt-cache model on hand-made prompts whose overlaps can be counted on paper. Blocks are
 * 4 tokens long so every count below is small; ids are the trace's block ids unless a test builds
 * them from segments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newOutcome, PromptCache, ttlMsOf, type PromptCacheConfig, type PromptCacheOutcome, type PromptCacheTtl } from '../../src/promptcache/cache.js';
import { SegmentBlocker, segmentBlocks } from '../../src/promptcache/blocks.js';
import { stringId } from '../../src/trace/prefix.js';
import { addRequestBill, addUncachedBill, billParts, billTokens, newBillSums, billTotal, newBillParts, writePrice } from '../../src/promptcache/billing.js';
import type { ModelPrice } from '../../src/config.js';

const B = 4;
const cfg = (over: Partial<PromptCacheConfig> = {}): PromptCacheConfig => ({ ttlMs: ttlMsOf('5m'), minTokens: 0, capacityBlocks: null, ...over });

function serve(c: PromptCache, t: number, ids: number[], input: number): PromptCacheOutcome {
  const out = newOutcome();
  c.serve(t, ids, ids.length, B, input, out);
  return { ...out };
}

test('shared system prefix: the second and third prompts read the blocks they share with the first', () => {
  const c = new PromptCache(cfg());
  // A: 3 blocks (12 tokens), nothing cached yet: all 12 written.
  assert.deepEqual(serve(c, 0, [1, 2, 3], 12), { blocks: 3, hitBlocks: 0, hitTokens: 0, writtenTokens: 12 });
  // B shares blocks 1, 2 (8 tokens), then differs: 8 read, 4 written.
  assert.deepEqual(serve(c, 10, [1, 2, 9], 12), { blocks: 3, hitBlocks: 2, hitTokens: 8, writtenTokens: 4 });
  // C extends A by a partial block (14 tokens): 3 blocks read (12 tokens), 2 written.
  assert.deepEqual(serve(c, 20, [1, 2, 3, 4], 14), { blocks: 4, hitBlocks: 3, hitTokens: 12, writtenTokens: 2 });
  // A prompt longer than its blocks: the 6 tokens past the last block are neither read nor written.
  assert.deepEqual(serve(c, 30, [1, 2], 14), { blocks: 2, hitBlocks: 2, hitTokens: 8, writtenTokens: 0 });
  // A run stops at the first block not cached, even if later ones are.
  assert.deepEqual(serve(c, 40, [1, 7, 3], 12), { blocks: 3, hitBlocks: 1, hitTokens: 4, writtenTokens: 8 });
});

test('growing conversation from segments: each turn reads the previous turn’s system + history', () => {
  const c = new PromptCache(cfg());
  const sys = stringId('op:response');
  const hist = stringId('history:c1');
  const ids: number[] = [];
  const turn = (t: number, historyTokens: number, msg: string) => {
    // system 8 tokens, the contact's history so far, the new message 3 tokens.
    const n = segmentBlocks([sys, hist, stringId(msg)], [8, historyTokens, 3], 3, B, 8 + historyTokens + 3, ids);
    return serve(c, t, ids.slice(0, n), 8 + historyTokens + 3);
  };
  // Turn 1: 11 tokens = blocks [0-4) [4-8) [8-11): nothing cached, 11 written.
  assert.deepEqual(turn(0, 0, 'm1'), { blocks: 3, hitBlocks: 0, hitTokens: 0, writtenTokens: 11 });
  // Turn 2: history 4 tokens: 15 tokens. Blocks 0, 1 (system) are shared; block 2 now covers
  // history tokens 0-4, which turn 1 never held: 8 read, 7 written.
  assert.deepEqual(turn(60_000, 4, 'm2'), { blocks: 4, hitBlocks: 2, hitTokens: 8, writtenTokens: 7 });
  // Turn 3: history 8 tokens (the first 4 are turn 2's): blocks 0-2 shared (12), 7 written.
  assert.deepEqual(turn(120_000, 8, 'm3'), { blocks: 5, hitBlocks: 3, hitTokens: 12, writtenTokens: 7 });
  // Another contact with the same system prompt reads only the system blocks.
  const other = segmentBlocks([sys, stringId('history:c2'), stringId('m9')], [8, 8, 3], 3, B, 19, ids);
  assert.deepEqual(serve(c, 130_000, ids.slice(0, other), 19), { blocks: 5, hitBlocks: 2, hitTokens: 8, writtenTokens: 11 });
});

test('segment block ids: equal first E tokens give equal block ids, different content different ids', () => {
  const a: number[] = [];
  const b: number[] = [];
  // "first 6 tokens of stream 5" then 2 of stream 6, vs the first 8 tokens of stream 5.
  segmentBlocks([5, 6], [6, 2], 2, B, 8, a);
  segmentBlocks([5], [8], 1, B, 8, b);
  assert.equal(a[0], b[0]); // tokens 0-4 come from stream 5 in both
  assert.notEqual(a[1], b[1]); // tokens 4-8: 5,5,6,6 vs 5,5,5,5
  // A zero-length segment changes nothing.
  const c: number[] = [];
  segmentBlocks([5, 99, 6], [6, 0, 2], 3, B, 8, c);
  assert.deepEqual(c.slice(0, 2), a.slice(0, 2));
  assert.ok(a[0]! < 0 && a[1]! < 0, 'segment block ids are negative, apart from trace block ids');
});

test('TTL: a block expires when unused for longer than the TTL; a use just in time refreshes it', () => {
  const ttl = ttlMsOf('5m');
  assert.equal(ttl, 300_000);
  const expired = new PromptCache(cfg());
  serve(expired, 0, [1, 2], 8);
  assert.equal(serve(expired, ttl + 1, [1, 2], 8).hitBlocks, 0, 'unused for 300,001 ms: gone');
  const refreshed = new PromptCache(cfg());
  serve(refreshed, 0, [1, 2], 8);
  assert.equal(serve(refreshed, ttl, [1, 2], 8).hitBlocks, 2, 'used at exactly 300,000 ms: still cached, and refreshed');
  assert.equal(serve(refreshed, 2 * ttl, [1, 2], 8).hitBlocks, 2, 'refreshed at 300,000, so alive at 600,000');
  assert.equal(serve(refreshed, 3 * ttl + 1, [1, 2], 8).hitBlocks, 0);
  const forever = new PromptCache(cfg({ ttlMs: ttlMsOf('unlimited') }));
  serve(forever, 0, [1], 4);
  assert.equal(serve(forever, 1e12, [1], 4).hitBlocks, 1);
  // A partial refresh: block 1 used again at 200,000 via another prompt, block 2 not.
  const partial = new PromptCache(cfg());
  serve(partial, 0, [1, 2], 8);
  serve(partial, 200_000, [1, 9], 8);
  assert.deepEqual(serve(partial, 400_000, [1, 2], 8), { blocks: 2, hitBlocks: 1, hitTokens: 4, writtenTokens: 4 });
});

test('minimum prefix: a shorter prefix is neither written nor read; a shorter hit counts as none', () => {
  const c = new PromptCache(cfg({ minTokens: 10 }));
  assert.deepEqual(serve(c, 0, [1, 2], 8), { blocks: 2, hitBlocks: 0, hitTokens: 0, writtenTokens: 0 });
  assert.deepEqual(serve(c, 1, [1, 2], 8), { blocks: 2, hitBlocks: 0, hitTokens: 0, writtenTokens: 0 });
  assert.equal(c.size, 0);
  assert.deepEqual(serve(c, 2, [1, 2, 3], 12), { blocks: 3, hitBlocks: 0, hitTokens: 0, writtenTokens: 12 });
  // Shares 2 blocks = 8 tokens < 10: no hit, the whole 12-token prefix is written again.
  assert.deepEqual(serve(c, 3, [1, 2, 4], 12), { blocks: 3, hitBlocks: 0, hitTokens: 0, writtenTokens: 12 });
  assert.deepEqual(serve(c, 4, [1, 2, 3], 12), { blocks: 3, hitBlocks: 3, hitTokens: 12, writtenTokens: 0 });
});

test('capacity: least recently used blocks go first, a prompt’s leading blocks last', () => {
  const c = new PromptCache(cfg({ capacityBlocks: 3 }));
  serve(c, 0, [1, 2, 3], 12); // use order (oldest first): 3 2 1
  serve(c, 1, [4, 5], 8); // 3 2 1 5 4 → evict 3 and 2
  assert.equal(c.evictions, 2);
  assert.equal(c.size, 3);
  assert.deepEqual(serve(c, 2, [1, 2, 3], 12), { blocks: 3, hitBlocks: 1, hitTokens: 4, writtenTokens: 8 });
  // Now: 5 4 3 2 1 → evict 5, 4; the second prompt is gone.
  assert.equal(serve(c, 3, [4, 5], 8).hitBlocks, 0);
});

test('billing: hit tokens at the read price, written at the TTL option’s write price, the rest at the input price', () => {
  const p: ModelPrice = { inputPerMTok: 10, outputPerMTok: 50, cachedInputPerMTok: 1, cacheWrite5mPerMTok: 12.5, cacheWrite1hPerMTok: 20 };
  const prices = (ttl: PromptCacheTtl) => ({ ...p, writePerMTok: writePrice(p, ttl) });
  // Two buckets side by side: a request adds into its own cell only. A bucket sums tokens and is priced at the end.
  const sums = newBillSums(2);
  // 5,000 input tokens: 1,000 read, 3,000 written, 1,000 uncached; 2,000 output.
  addRequestBill(sums, 1, 5000, 1000, 3000, 2000);
  assert.deepEqual(billParts(sums, 1, prices('5m')), { cacheRead: 0.001, cacheWrite: 0.0375, inputUncached: 0.01, output: 0.1 });
  assert.deepEqual(billParts(sums, 0, prices('5m')), newBillParts());
  assert.deepEqual(billTokens(sums, 1), { inputTokens: 5000, outputTokens: 2000, requests: 1 });
  addRequestBill(sums, 0, 5000, 1000, 3000, 2000);
  const hour = billParts(sums, 0, prices('1h'));
  assert.equal(hour.cacheWrite, 0.06);
  assert.ok(Math.abs(billTotal(hour) - 0.171) < 1e-12);
  // A second request sums into the same bucket; one with nothing cached or written is the input in full.
  addUncachedBill(sums, 0, 2000, 2000);
  assert.deepEqual(billParts(sums, 0, prices('1h')), { cacheRead: 0.001, cacheWrite: 0.06, inputUncached: 0.03, output: 0.2 });
  assert.deepEqual(billTokens(sums, 0), { inputTokens: 7000, outputTokens: 4000, requests: 2 });
  // Many requests at once (the requests an engine left to its ledger): the same sums as one by one.
  addRequestBill(sums, 1, 3 * 5000, 3 * 1000, 3 * 3000, 3 * 2000, 3);
  assert.deepEqual(billTokens(sums, 1), { inputTokens: 20000, outputTokens: 8000, requests: 4 });
  // No write prices (OpenAI, Gemini, DeepSeek): writes cost the input price.
  const plain: ModelPrice = { inputPerMTok: 2.5, outputPerMTok: 15, cachedInputPerMTok: 0.25 };
  assert.equal(writePrice(plain, '5m'), 2.5);
  assert.equal(writePrice(plain, '1h'), 2.5);
  assert.equal(writePrice(p, 'unlimited'), 20);
});

test('the block table agrees with a plain reference over 40,000 random prompts (growth and expiry sweeps)', () => {
  // Reference: every block's last use in a Map, never swept; same rules.
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const ttl = 5_000;
  const c = new PromptCache(cfg({ ttlMs: ttl, minTokens: 8 }));
  const ref = new Map<number, number>();
  let t = 0;
  let hits = 0;
  for (let r = 0; r < 40_000; r++) {
    t += Math.floor(rand() * 40);
    // 200 shared system prefixes of 3 blocks, then 0–4 blocks from a large space (some negative ids).
    const sys = Math.floor(rand() * 200) * 3;
    const ids = [sys, sys + 1, sys + 2];
    for (let k = Math.floor(rand() * 5); k > 0; k--) ids.push((rand() < 0.5 ? -1 : 1) * (1000 + Math.floor(rand() * 2 ** 40)));
    const input = ids.length * B - Math.floor(rand() * 3);
    const got = serve(c, t, ids, input);
    let hit = 0;
    while (hit < ids.length && ref.has(ids[hit]!) && t - ref.get(ids[hit]!)! <= ttl) hit++;
    let hitTokens = Math.min(hit * B, input);
    if (hitTokens < 8) hit = hitTokens = 0;
    for (const id of ids) ref.set(id, t);
    assert.deepEqual(got, { blocks: ids.length, hitBlocks: hit, hitTokens, writtenTokens: Math.min(ids.length * B, input) - hitTokens }, `request ${r}`);
    hits += hit;
  }
  assert.ok(hits > 10_000, 'the stream has reuse to find');
  assert.ok(c.size < ref.size / 2, `expired blocks were swept: ${c.size} held vs ${ref.size} ever seen`);
});

test('incremental segment block ids equal segmentBlocks over 20,000 random growing conversations', () => {
  let seed = 11;
  const rand = (n: number) => Math.floor(((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * n);
  const blocker = new SegmentBlocker(B);
  const history = new Map<number, number>();
  const want: number[] = [];
  const got: number[] = [];
  for (let r = 0; r < 20_000; r++) {
    // 1–4 segments: a system prompt (3 kinds, some empty), a growing (sometimes shrinking) history of one of 50 contacts, a unique message.
    const contact = rand(50);
    const h = Math.max(0, (history.get(contact) ?? 0) + rand(9) - 2);
    history.set(contact, h);
    const all = [
      [1 + rand(3), rand(4) === 0 ? 0 : 5 + rand(3)],
      [100 + contact, h],
      [10_000 + r, rand(7)],
      [20_000 + r, rand(3)],
    ];
    const segs = all.slice(0, 1 + rand(4));
    const ids = segs.map((x) => x[0]!);
    const tokens = segs.map((x) => x[1]!);
    const sum = tokens.reduce((a, b) => a + b, 0);
    const input = rand(3) === 0 ? rand(sum + 1) : sum + rand(5);
    const n = segmentBlocks(ids, tokens, segs.length, B, input, want);
    assert.equal(blocker.blocks(ids, tokens, segs.length, input, got), n, `request ${r}`);
    assert.deepEqual(got.slice(0, n), want.slice(0, n), `request ${r}`);
  }
});

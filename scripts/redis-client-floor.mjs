#!/usr/bin/env node
/**
 * The client library's own floor, for the harness-honesty check (scripts/bench-redis-honesty.mjs):
 * a bare ioredis loop with bench's command mix and nothing else — no walk, no histograms, no
 * request construction — so that what bench adds on top of its client library can be told apart
 * from what the library itself costs.
 *
 * Each of `--concurrency` lanes does GET of a key and, for the `--write-share` of its requests
 * (bench's SETs per GET), SET of a `--value-bytes` value with a PX expiry; auto-pipelining as bench
 * uses it by default (on above concurrency 1), or as `--auto-pipelining on|off` says. Prints one
 * JSON line: { getP50Us, commandsPerSec }.
 *
 * Usage: node scripts/redis-client-floor.mjs --url redis://127.0.0.1:6379 --concurrency 50
 *          [--duration-ms 3000] [--write-share 0.7] [--value-bytes 100] [--auto-pipelining on|off]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string', default: 'redis://127.0.0.1:6379' },
    concurrency: { type: 'string', default: '1' },
    'duration-ms': { type: 'string', default: '3000' },
    'write-share': { type: 'string', default: '0.7' },
    'value-bytes': { type: 'string', default: '100' },
    'auto-pipelining': { type: 'string' },
  },
});
const concurrency = Number(a.concurrency);
const durationMs = Number(a['duration-ms']);
const writeShare = Number(a['write-share']);
const value = 'v'.repeat(Number(a['value-bytes']));
const prefix = `llmcache:floor:${process.pid}:`;
const autoPipelining = a['auto-pipelining'] === undefined ? concurrency > 1 : a['auto-pipelining'] === 'on';
const client = new Redis(a.url, { enableAutoPipelining: autoPipelining, commandTimeout: 1000, maxRetriesPerRequest: 0, lazyConnect: true });
await client.connect();

const getUs = [];
let commands = 0;
let requests = 0;
let end = 0;
async function lane(id) {
  for (let i = 0; performance.now() < end; i++) {
    const key = `${prefix}${(id * 7919 + i) % 5000}`;
    const t0 = performance.now();
    await client.get(key);
    getUs.push((performance.now() - t0) * 1000);
    commands++;
    // Evenly spread: request n writes when ⌊n·share⌋ steps up (as bench's --inject-tail spreads its share).
    requests++;
    if (Math.floor(requests * writeShare) > Math.floor((requests - 1) * writeShare)) {
      await client.set(key, value, 'PX', 60_000);
      commands++;
    }
  }
}
// Warm-up (JIT, connection), then the measured window.
end = performance.now() + 300;
await Promise.all(Array.from({ length: concurrency }, (_, i) => lane(i)));
getUs.length = 0;
commands = 0;
requests = 0;
const start = performance.now();
end = start + durationMs;
await Promise.all(Array.from({ length: concurrency }, (_, i) => lane(i)));
const seconds = (performance.now() - start) / 1000;
getUs.sort((x, y) => x - y);
process.stdout.write(`${JSON.stringify({ getP50Us: getUs[getUs.length >> 1], commandsPerSec: commands / seconds })}\n`);
// Remove what the loop wrote.
let cursor = '0';
do {
  const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
  if (keys.length > 0) await client.unlink(...keys);
  cursor = next;
} while (cursor !== '0');
client.disconnect();

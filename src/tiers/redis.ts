/**
 * The shared L2 as a bench tier, through ioredis: one connection with auto-pipelining (many
 * concurrent lookups share a write), a timeout on every command and no offline queue, so a lost
 * Redis fails fast instead of hanging. Keys live under a prefix the run owns; clean-up SCANs
 * that prefix and UNLINKs what it finds, never anything else (no FLUSHDB). A Redis Cluster is
 * reached through a list of nodes (ioredis Cluster).
 */
import { Cluster, Redis } from 'ioredis';
import type { TierConfig } from '../config.js';
import { InputError, redact } from '../errors.js';
import { decodeEntry, encodeEntry, withTimeout, type AdapterOptions, type FoundEntry, type TierAdapter, type WriteRequest } from './adapter.js';

/** The shell command that starts a throwaway local Redis (DESIGN.md §8). */
export const REDIS_START_HINT = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';

export interface RedisTierOptions {
  name: string;
  url: string;
  /** Cluster nodes as host:port; when non-empty, a Cluster client is used instead of `url`. */
  cluster?: string[];
  /** Key prefix this run owns, e.g. `llmcache:bench:<runId>:`. */
  prefix: string;
  /** Timeout of every command and of the connection (ms). */
  timeoutMs: number;
  /** ioredis auto-pipelining (default true). */
  autoPipelining?: boolean;
}

export class RedisTier implements TierAdapter {
  readonly kind = 'redis' as const;
  readonly name: string;
  readonly client: Redis | Cluster;
  readonly prefix: string;
  private readonly label: string;

  constructor(o: RedisTierOptions) {
    this.name = o.name;
    this.prefix = o.prefix;
    const common = {
      lazyConnect: true,
      enableAutoPipelining: o.autoPipelining ?? true,
      enableOfflineQueue: false,
    };
    const perNode = {
      commandTimeout: o.timeoutMs,
      connectTimeout: o.timeoutMs,
      maxRetriesPerRequest: 0,
    };
    if (o.cluster && o.cluster.length > 0) {
      this.label = `Redis Cluster ${o.cluster.join(',')}`;
      const nodes = o.cluster.map((hp) => {
        const i = hp.lastIndexOf(':');
        return { host: i > 0 ? hp.slice(0, i) : hp, port: i > 0 ? Number(hp.slice(i + 1)) : 6379 };
      });
      this.client = new Cluster(nodes, {
        ...common,
        clusterRetryStrategy: () => 200,
        slotsRefreshTimeout: o.timeoutMs,
        redisOptions: perNode,
      });
    } else {
      this.label = `Redis at ${redact(o.url)}`;
      this.client = new Redis(o.url, { ...common, ...perNode, retryStrategy: () => 200 });
    }
    // Errors surface through the rejected commands; keep the emitter quiet.
    this.client.on('error', () => {});
  }

  /** Connect and ping; an unreachable Redis is an InputError with the one sentence users need. */
  async connect(timeoutMs: number): Promise<void> {
    try {
      await withTimeout(this.client.connect(), timeoutMs, 'connect');
      await this.client.ping();
    } catch (e) {
      this.client.disconnect();
      const why = (e as Error).message.split('\n')[0];
      throw new InputError(
        `${this.label} is not reachable (${redact(why ?? '')}); start one with \`${REDIS_START_HINT}\` or choose \`--l2 memory\`.`,
      );
    }
  }

  async get(_keyId: number, key: string): Promise<FoundEntry | null> {
    const v = await this.client.get(this.prefix + key);
    return v === null ? null : decodeEntry(v);
  }

  async set(w: WriteRequest): Promise<void> {
    const px = Math.max(1, Math.min(Math.round(w.ttlMs), 2 ** 31));
    await this.client.set(this.prefix + w.key, encodeEntry(w.entry, w.payload), 'PX', px);
  }

  async delete(_keyId: number, key: string): Promise<void> {
    await this.client.unlink(this.prefix + key);
  }

  async info(): Promise<Record<string, string>> {
    const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    const text = await nodes[0]!.info('server');
    const m = /redis_version:(\S+)/.exec(text);
    return m ? { redis: m[1]! } : {};
  }

  /** UNLINK every key under the run's prefix (SCAN MATCH, per master node in a cluster). */
  async cleanup(): Promise<number> {
    const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    let removed = 0;
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        // In a cluster, keys of one scan batch can hash to different slots: unlink one by one.
        if (keys.length > 0) removed += this.client instanceof Cluster ? await unlinkEach(this.client, keys) : await node.unlink(...keys);
      } while (cursor !== '0');
    }
    return removed;
  }

  async close(): Promise<void> {
    // QUIT for a clean goodbye, but never wait on a lost server for more than a second.
    await withTimeout(this.client.quit(), 1000, 'quit').catch(() => {});
    this.client.disconnect();
  }
}

async function unlinkEach(c: Cluster, keys: string[]): Promise<number> {
  const n = await Promise.all(keys.map((k) => c.unlink(k)));
  return n.reduce((a, b) => a + b, 0);
}

/** Build the L2 adapter of a tier from the run's options. */
export function redisTier(cfg: TierConfig, o: AdapterOptions): RedisTier {
  return new RedisTier({
    name: cfg.name,
    url: o.redisUrl,
    cluster: o.redisCluster,
    prefix: `llmcache:bench:${o.runId}:${cfg.name}:`,
    timeoutMs: o.timeoutMs,
  });
}

/**
 * Fail fast before anything slow starts: connect, ping and disconnect. Throws the same one-sentence
 * InputError as `RedisTier.connect` when Redis is not there.
 */
export async function probeRedis(o: Pick<RedisTierOptions, 'url' | 'cluster' | 'timeoutMs'>): Promise<void> {
  const probe = new RedisTier({ name: 'probe', url: o.url, cluster: o.cluster, prefix: 'llmcache:probe:', timeoutMs: o.timeoutMs });
  await probe.connect(o.timeoutMs);
  probe.client.disconnect();
}

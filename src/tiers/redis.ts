/**
 * The shared L2 as a bench tier, through ioredis: one connection with auto-pipelining (many
 * concurrent lookups share a write), a timeout on every command and no offline queue, so a lost
 * Redis fails fast instead of hanging. Keys live under a prefix the run owns; clean-up SCANs
 * that prefix and UNLINKs what it finds, never anything else (no FLUSHDB).
 *
 * A Redis Cluster is reached through seed nodes (ioredis Cluster, which follows MOVED and ASK
 * redirections). Its retries (after a lost node, CLUSTERDOWN, TRYAGAIN) run inside one deadline
 * per call, the run's timeout, so a failover costs a request at most that per call. Each request
 * reads one key per tier and no command spans keys, so keys carry no hash tag: a tag would pin a
 * contact's keys to one slot, the hot slot the per-node command counts are there to reveal.
 */
import { performance } from 'node:perf_hooks';
import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { TierConfig } from '../config.js';
import { InputError, redact } from '../errors.js';
import { decodeEntry, encodeEntry, withTimeout, type AdapterOptions, type FoundEntry, type NodeCommands, type TierAdapter, type WriteRequest } from './adapter.js';
import { parseRedisTarget, redisPrefix, type RedisTarget } from './redis-url.js';

/** The shell command that starts a throwaway local Redis (docs/architecture.md, "Backends"). */
export const REDIS_START_HINT = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';

export interface RedisTierOptions {
  name: string;
  url: string;
  /** Cluster seeds (`host:port` or `redis://` / `rediss://` URLs); when non-empty, a Cluster client is used instead of `url`. */
  cluster?: string[];
  /** Key prefix this run owns, e.g. `llmcache:bench:<runId>:`. */
  prefix: string;
  /** Timeout of every command and of the connection (ms). */
  timeoutMs: number;
  /** ioredis auto-pipelining (default true). */
  autoPipelining?: boolean;
  /** CA certificate(s) (PEM) that signed the servers' TLS certificates; default: the system's. */
  tlsCa?: string;
}

/** Replies of a cluster in motion that a command may be re-sent after. */
const REDIRECTED = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN) /;

export class RedisTier implements TierAdapter {
  readonly kind = 'redis' as const;
  readonly name: string;
  readonly client: Redis | Cluster;
  readonly prefix: string;
  readonly target: RedisTarget;
  private readonly timeoutMs: number;
  private readonly cluster: Cluster | null;
  private readonly slotCommands: Uint32Array | null;
  private readonly nodeCommands = new Map<string, number>();

  constructor(o: RedisTierOptions) {
    this.name = o.name;
    this.prefix = o.prefix;
    this.timeoutMs = o.timeoutMs;
    this.target = parseRedisTarget(o.url, o.cluster);
    const t = this.target;
    const common = {
      lazyConnect: true,
      enableAutoPipelining: o.autoPipelining ?? true,
      enableOfflineQueue: false,
    };
    const perNode: RedisOptions = {
      commandTimeout: o.timeoutMs,
      connectTimeout: o.timeoutMs,
      maxRetriesPerRequest: 0,
      username: t.username,
      password: t.password,
      ...(t.tls ? { tls: o.tlsCa ? { ca: o.tlsCa } : {} } : {}),
    };
    if (t.cluster) {
      const options: ClusterOptions = {
        ...common,
        clusterRetryStrategy: () => 200,
        slotsRefreshTimeout: o.timeoutMs,
        // Redirections and retries are bounded by the per-call deadline (see `call`).
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        retryDelayOnTryAgain: 100,
        redisOptions: perNode,
      };
      this.cluster = new Cluster(t.nodes, options);
      this.client = this.cluster;
      this.slotCommands = new Uint32Array(16384);
    } else {
      this.cluster = null;
      this.client = new Redis({ ...common, ...perNode, host: t.nodes[0]!.host, port: t.nodes[0]!.port, db: t.db, retryStrategy: () => 200 });
      this.slotCommands = null;
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
      throw new InputError(`${this.target.label} is not reachable (${redact(why ?? '')}); start one with \`${REDIS_START_HINT}\` or choose \`--l2 memory\`.`);
    }
  }

  /**
   * One key command on a cluster (a single node needs none of this: ioredis's command timeout
   * bounds it and it never retries). The call is counted against the master that owns the key's
   * slot in the client's table, and gets one deadline, the timeout, around ioredis's redirections
   * and retries plus one retry of its own: a command auto-pipelined with writes gets a MOVED /
   * ASK / TRYAGAIN / CLUSTERDOWN back instead of being redirected (ioredis re-sends only
   * read-only pipelines), so it refreshes the slot table and tries once more, within the deadline.
   */
  private clusterCall<T>(key: string, what: string, send: () => Promise<T>): Promise<T> {
    const c = this.cluster!;
    const slot = calculateSlot(key);
    this.slotCommands![slot]!++;
    const node = c.slots[slot]?.[0] ?? 'unknown';
    this.nodeCommands.set(node, (this.nodeCommands.get(node) ?? 0) + 1);
    const until = performance.now() + this.timeoutMs;
    return withTimeout(send(), this.timeoutMs, what).catch(async (e: Error) => {
      if (!REDIRECTED.test(e.message)) throw e;
      await withTimeout(new Promise<void>((resolve) => c.refreshSlotsCache(() => resolve())), Math.max(1, until - performance.now()), what);
      return withTimeout(send(), Math.max(1, until - performance.now()), what);
    });
  }

  async get(_keyId: number, key: string): Promise<FoundEntry | null> {
    const k = this.prefix + key;
    const v = this.cluster === null ? await this.client.get(k) : await this.clusterCall(k, 'GET', () => this.client.get(k));
    return v === null ? null : decodeEntry(v);
  }

  // Not async: the command's own promise is returned, a promise less per write.
  set(w: WriteRequest): Promise<unknown> {
    const px = Math.max(1, Math.min(Math.round(w.ttlMs), 2 ** 31));
    const k = this.prefix + w.key;
    const v = encodeEntry(w.entry, w.payload);
    if (this.cluster === null) return this.client.set(k, v, 'PX', px);
    return this.clusterCall(k, 'SET', () => this.client.set(k, v, 'PX', px));
  }

  async delete(_keyId: number, key: string): Promise<void> {
    const k = this.prefix + key;
    if (this.cluster === null) await this.client.unlink(k);
    else await this.clusterCall(k, 'UNLINK', () => this.client.unlink(k));
  }

  /** Cluster only: commands sent per master and per slot (undefined for a single node). */
  commandsByNode(): NodeCommands | undefined {
    if (this.slotCommands === null) return undefined;
    const slots: [number, number][] = [];
    this.slotCommands.forEach((n, slot) => {
      if (n > 0) slots.push([slot, n]);
    });
    return { nodes: Object.fromEntries(this.nodeCommands), slots };
  }

  async info(): Promise<Record<string, string>> {
    const nodes = this.cluster ? this.cluster.nodes('master') : [this.client];
    const text = await nodes[0]!.info('server');
    const m = /redis_version:(\S+)/.exec(text);
    return m ? { redis: m[1]!, ...(this.cluster ? { redisMode: `cluster of ${nodes.length} masters` } : {}) } : {};
  }

  /**
   * UNLINK every key under the run's prefix (SCAN MATCH; in a cluster, on every master). A cluster
   * must be healthy (every slot served, so after a failover the promoted replica is a master and
   * its copies go too); otherwise this throws and the caller retries (src/bench/cleanup.ts).
   */
  async cleanup(): Promise<number> {
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    if (this.cluster === null) return unlinkMatching(this.client as Redis, pattern, (keys) => (this.client as Redis).unlink(...keys));
    const c = this.cluster;
    const state = await withTimeout(c.cluster('INFO'), this.timeoutMs, 'CLUSTER INFO');
    if (!/cluster_state:ok/.test(state)) throw new Error('the cluster is not healthy (cluster_state is not ok)');
    await withTimeout(new Promise<void>((resolve, reject) => c.refreshSlotsCache((e) => (e ? reject(e) : resolve()))), this.timeoutMs * 2, 'refresh slots');
    let removed = 0;
    // The keys of one scan batch hash to different slots: unlink one by one.
    for (const node of c.nodes('master')) removed += await unlinkMatching(node, pattern, (keys) => this.unlinkEach(keys));
    return removed;
  }

  private async unlinkEach(keys: string[]): Promise<number> {
    const n = await Promise.all(keys.map((k) => withTimeout(this.client.unlink(k), this.timeoutMs, 'UNLINK')));
    return n.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    // QUIT for a clean goodbye, but never wait on a lost server for more than a second.
    await withTimeout(this.client.quit(), 1000, 'quit').catch(() => {});
    this.client.disconnect();
  }
}

async function unlinkMatching(node: Redis, pattern: string, unlink: (keys: string[]) => Promise<number>): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await unlink(keys);
  } while (cursor !== '0');
  return removed;
}

/** Build the L2 adapter of a tier from the run's options. */
export function redisTier(cfg: TierConfig, o: AdapterOptions): RedisTier {
  return new RedisTier({
    name: cfg.name,
    url: o.redisUrl,
    cluster: o.redisCluster,
    prefix: redisPrefix(o.runId, cfg.name),
    timeoutMs: o.timeoutMs,
    tlsCa: o.redisTlsCa,
    autoPipelining: o.autoPipelining,
  });
}

/**
 * Fail fast before anything slow starts: connect, ping and disconnect. Throws the same one-sentence
 * InputError as `RedisTier.connect` when Redis is not there.
 */
export async function probeRedis(o: Pick<RedisTierOptions, 'url' | 'cluster' | 'timeoutMs' | 'tlsCa'>): Promise<void> {
  const probe = new RedisTier({ name: 'probe', url: o.url, cluster: o.cluster, prefix: 'llmcache:probe:', timeoutMs: o.timeoutMs, tlsCa: o.tlsCa });
  await probe.connect(o.timeoutMs);
  probe.client.disconnect();
}

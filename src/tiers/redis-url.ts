/**
 * Where L2 lives, parsed without loading ioredis: one Redis (`redis://` or `rediss://` URL) or a
 * Redis Cluster reached through seed nodes (`host:port` or URLs, comma-separated). Credentials
 * and TLS come from the URLs and are never printed: every label here is redacted.
 */
import { InputError, redact } from '../errors.js';

export interface RedisEndpoint {
  host: string;
  port: number;
}

/** A single Redis or a cluster's seeds, with what every connection needs. */
export interface RedisTarget {
  cluster: boolean;
  /** The node (single) or the seed nodes (cluster). */
  nodes: RedisEndpoint[];
  username?: string;
  password?: string;
  /** `rediss://`: connect with TLS. */
  tls: boolean;
  /** Database index of a single node (`redis://host/2`). */
  db?: number;
  /** For messages: the URL(s), password replaced by `***`. */
  label: string;
}

const DEFAULT_PORT = 6379;

function endpointOf(u: URL): RedisEndpoint {
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : DEFAULT_PORT };
}

function parseUrl(what: string, s: string): URL {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new InputError(`${what}: expected redis://[user:password@]host:port or rediss://…, got ${JSON.stringify(redact(s))}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new InputError(`${what}: expected a redis:// or rediss:// URL, got ${JSON.stringify(redact(s))}`);
  if (!u.hostname) throw new InputError(`${what}: no host in ${JSON.stringify(redact(s))}`);
  return u;
}

/** Credentials of a URL, URL-decoded; `undefined` when absent. */
function credentials(u: URL): { username?: string; password?: string } {
  return {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

/**
 * Parse `--redis-url` (single node) or, when `cluster` has entries, `--redis-cluster` seeds. Every
 * seed of a cluster must use the same scheme and credentials (one cluster has one of each).
 */
export function parseRedisTarget(url: string, cluster?: readonly string[]): RedisTarget {
  if (!cluster || cluster.length === 0) {
    const u = parseUrl('--redis-url', url);
    const db = u.pathname.replace(/^\//, '');
    if (db !== '' && !/^\d+$/.test(db)) throw new InputError(`--redis-url: the path must be a database number, got ${JSON.stringify(redact(url))}`);
    return { cluster: false, nodes: [endpointOf(u)], ...credentials(u), tls: u.protocol === 'rediss:', db: db === '' ? undefined : Number(db), label: `Redis at ${redact(url)}` };
  }
  let first: { scheme: string; username?: string; password?: string } | undefined;
  const nodes = cluster.map((seed) => {
    const s = seed.trim();
    const u = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? parseUrl('--redis-cluster', s) : parseUrl('--redis-cluster', `redis://${s}`);
    const mine = { scheme: u.protocol, ...credentials(u) };
    first ??= mine;
    if (mine.scheme !== first.scheme || mine.username !== first.username || mine.password !== first.password)
      throw new InputError('--redis-cluster: every seed must use the same scheme (redis:// or rediss://) and the same credentials');
    if (u.pathname !== '' && u.pathname !== '/') throw new InputError(`--redis-cluster: a cluster has no database number, got ${JSON.stringify(redact(s))}`);
    return endpointOf(u);
  });
  const f = first!;
  return {
    cluster: true,
    nodes,
    username: f.username,
    password: f.password,
    tls: f.scheme === 'rediss:',
    label: `Redis Cluster ${cluster.map((s) => redact(s.trim())).join(',')}`,
  };
}

/** The key prefix run `runId` owns in tier `tier`. */
export function redisPrefix(runId: string, tier: string): string {
  return `llmcache:bench:${runId}:${tier}:`;
}

/** Split the `--redis-cluster` flag: seeds separated by commas. */
export function splitSeeds(flag: string): string[] {
  return flag
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell command that removes every key under `prefix` from the target's nodes, for when
 * clean-up could not finish: `--scan` per node (in a cluster, every node given: replicas hold
 * copies, and `-c` sends each UNLINK to the key's master). The password is not in it.
 */
export function redisCleanupCommand(t: RedisTarget, prefix: string, nodes: readonly RedisEndpoint[] = t.nodes, caFile?: string): string {
  const pattern = shellQuote(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
  const common = [
    ...(t.cluster ? ['-c'] : []),
    ...(t.tls ? ['--tls', ...(caFile ? ['--cacert', shellQuote(caFile)] : [])] : []),
    ...(t.username ? ['--user', shellQuote(t.username)] : []),
    ...(t.db !== undefined ? ['-n', String(t.db)] : []),
  ];
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const n of nodes) {
    const key = `${n.host}:${n.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cli = ['redis-cli', ...common, '-h', shellQuote(n.host), '-p', String(n.port)].join(' ');
    parts.push(`${cli} --scan --pattern ${pattern} | xargs -r -n 1 ${cli} unlink`);
  }
  const auth = t.password !== undefined ? ' (with REDISCLI_AUTH set to the password)' : '';
  return `${parts.join('; ')}${auth}`;
}

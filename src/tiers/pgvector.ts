/**
 * The shared L3 as a bench tier: Postgres + pgvector through `pg` and `pgvector/pg`. One table
 * the run owns (`llmcache_bench_<runId>_<tier>`), created on first use and dropped by clean-up;
 * exact lookups by key, semantic lookups by cosine distance (`<=>`) inside the scope filter,
 * optional HNSW index. Every query carries a client-side timeout.
 */
import pg from 'pg';
import pgvector from 'pgvector/pg';
import { vectorFromSql } from 'pgvector/utils';
import type { TierConfig } from '../config.js';
import { InputError, redact } from '../errors.js';
import type { AdapterOptions, FoundEntry, SemanticHit, SemanticQuery, TierAdapter, WriteRequest } from './adapter.js';

export interface PgTierOptions {
  name: string;
  url: string;
  /** Table this run owns (lower-case identifier). */
  table: string;
  dimensions: number;
  timeoutMs: number;
  hnsw: boolean;
  /** Pool size (connections). */
  poolSize?: number;
  /** Use named (server-side cached) prepared statements; off for the embedded PGlite (see AdapterOptions.pgEmbedded). */
  namedStatements?: boolean;
}

const COLS = 'expires_at, created_at, version, entity, gen, aux, contact, tenant, length(payload) AS bytes';

/** A row as selected by COLS: the entry fields whose column has the same name, plus the snake_case times. */
type Row = Pick<FoundEntry, 'version' | 'entity' | 'gen' | 'aux' | 'contact' | 'tenant' | 'bytes'> & {
  expires_at: number;
  created_at: number;
  sim?: number;
  key?: string;
};

/** A vector as a query parameter (copied only when it is a typed array). */
function vectorParam(v: Float32Array | number[]): string {
  return pgvector.toSql(Array.isArray(v) ? v : Array.from(v));
}

function toEntry(r: Row): FoundEntry {
  return {
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    version: r.version,
    entity: r.entity,
    gen: Number(r.gen),
    aux: r.aux,
    contact: r.contact,
    tenant: r.tenant,
    bytes: r.bytes,
  };
}

export class PgvectorTier implements TierAdapter {
  readonly kind = 'pgvector' as const;
  readonly name: string;
  readonly pool: pg.Pool;
  readonly table: string;
  private created = false;
  private readonly o: PgTierOptions;
  /** OID of the `vector` type once known; its values parse to number arrays. */
  private vectorOid = -1;

  constructor(o: PgTierOptions) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(o.table)) throw new InputError(`invalid table name ${JSON.stringify(o.table)}`);
    this.o = o;
    this.name = o.name;
    this.table = o.table;
    this.pool = new pg.Pool({
      connectionString: o.url,
      max: o.poolSize ?? 8,
      connectionTimeoutMillis: o.timeoutMs,
      query_timeout: o.timeoutMs,
      idleTimeoutMillis: 0,
      // pgvector's registerTypes, shared by every pooled connection (no query per connection).
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === this.vectorOid ? vectorFromSql : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    this.pool.on('error', () => {});
    this.pool.on('connect', (c) => c.on('error', () => {}));
  }

  /** Connect, enable pgvector and create the owned table; unreachable = InputError. */
  async connect(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (e) {
      throw new InputError(
        `Postgres at ${redact(this.o.url)} is not reachable (${redact((e as Error).message)}); start the compose service with \`docker compose up -d pgvector\`, or leave --pg-url / DATABASE_URL unset to use the embedded PGlite.`,
      );
    }
    try {
      await this.pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    } catch (e) {
      throw new InputError(`Postgres at ${redact(this.o.url)} has no pgvector extension (${redact((e as Error).message)}); use the compose file's pgvector image.`);
    }
    const t = await this.pool.query<{ oid: number }>(`SELECT oid FROM pg_type WHERE typname = 'vector'`);
    this.vectorOid = Number(t.rows[0]?.oid ?? -1);
    await this.ensureTable();
  }

  private async ensureTable(): Promise<void> {
    if (this.created) return;
    const t = this.table;
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${t} (key text PRIMARY KEY, op text NOT NULL, contact integer NOT NULL, tenant integer NOT NULL,
        expires_at double precision NOT NULL, created_at double precision NOT NULL, version double precision NOT NULL,
        entity integer NOT NULL, gen bigint NOT NULL, aux integer NOT NULL, payload text NOT NULL, embedding vector(${this.o.dimensions}))`,
    );
    await this.pool.query(`CREATE INDEX IF NOT EXISTS ${t}_scope ON ${t} (op, contact)`);
    if (this.o.hnsw) await this.pool.query(`CREATE INDEX IF NOT EXISTS ${t}_hnsw ON ${t} USING hnsw (embedding vector_cosine_ops)`);
    this.created = true;
  }

  /** Name of a prepared statement, or undefined when statements are not named. */
  private statement(what: string): string | undefined {
    return this.o.namedStatements === false ? undefined : `${this.table}_${what}`;
  }

  async get(_keyId: number, key: string): Promise<FoundEntry | null> {
    const r = await this.pool.query<Row>({ name: this.statement('get'), text: `SELECT ${COLS} FROM ${this.table} WHERE key = $1`, values: [key] });
    return r.rows.length === 0 ? null : toEntry(r.rows[0]!);
  }

  async set(w: WriteRequest): Promise<void> {
    const e = w.entry;
    await this.pool.query({
      name: this.statement('set'),
      text: `INSERT INTO ${this.table} (key, op, contact, tenant, expires_at, created_at, version, entity, gen, aux, payload, embedding)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (key) DO UPDATE SET op = EXCLUDED.op, contact = EXCLUDED.contact, tenant = EXCLUDED.tenant,
               expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at, version = EXCLUDED.version,
               entity = EXCLUDED.entity, gen = EXCLUDED.gen, aux = EXCLUDED.aux, payload = EXCLUDED.payload,
               embedding = COALESCE(EXCLUDED.embedding, ${this.table}.embedding)`,
      values: [
        w.key,
        w.op,
        e.contact,
        e.tenant,
        e.expiresAt,
        e.createdAt,
        e.version,
        e.entity,
        e.gen,
        e.aux,
        w.payload,
        w.embedding ? vectorParam(w.embedding) : null,
      ],
    });
  }

  async delete(_keyId: number, key: string): Promise<void> {
    await this.pool.query({ name: this.statement('del'), text: `DELETE FROM ${this.table} WHERE key = $1`, values: [key] });
  }

  /** Nearest entry by cosine distance inside the scope; null below the threshold. */
  async search(q: SemanticQuery): Promise<SemanticHit | null> {
    const where = ['op = $2', 'embedding IS NOT NULL'];
    const values: unknown[] = [vectorParam(q.embedding), q.op];
    if (q.contact !== undefined) where.push(`contact = $${values.push(q.contact)}`);
    else if (q.tenant !== undefined) where.push(`tenant = $${values.push(q.tenant)}`);
    if (q.validAt !== undefined) where.push(`expires_at > $${values.push(q.validAt)}`);
    const r = await this.pool.query<Row>(
      `SELECT ${COLS}, key, 1 - (embedding <=> $1) AS sim FROM ${this.table} WHERE ${where.join(' AND ')} ORDER BY embedding <=> $1 LIMIT 1`,
      values,
    );
    const row = r.rows[0];
    if (!row || !(Number(row.sim) >= q.threshold)) return null;
    return { ...toEntry(row), similarity: Number(row.sim), key: row.key! };
  }

  async info(): Promise<Record<string, string>> {
    const v = await this.pool.query<{ server_version: string }>('SHOW server_version');
    const x = await this.pool.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
    return { postgres: v.rows[0]?.server_version ?? '?', pgvector: x.rows[0]?.extversion ?? '?' };
  }

  /** Drop the table this run created (and nothing else). */
  async cleanup(): Promise<number> {
    if (!this.created) return 0;
    const n = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table}`);
    await this.pool.query(`DROP TABLE IF EXISTS ${this.table}`);
    this.created = false;
    return Number(n.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

/** Table name this run owns for a tier. */
export function pgTableName(runId: string, tierName: string): string {
  return `llmcache_bench_${runId}_${tierName}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
}

/** Build the L3 adapter of a tier from the run's options. */
export function pgvectorTier(cfg: TierConfig, o: AdapterOptions): PgvectorTier {
  return new PgvectorTier({
    name: cfg.name,
    url: o.pgUrl,
    table: pgTableName(o.runId, cfg.name),
    dimensions: o.dimensions,
    timeoutMs: o.timeoutMs,
    hnsw: o.hnsw,
    namedStatements: !o.pgEmbedded,
  });
}

/**
 * Key-request traces as published cache traces come (libCacheSim style): each record is one
 * request for a key, optionally with a time, an object size and a TTL. Readers decode them into
 * a reusable batch of typed arrays so the replay loop allocates nothing per request.
 */

/** On-disk formats `replay` and `mrc` read. */
export type TraceFormat = 'txt' | 'csv' | 'oracle';
export const TRACE_FORMATS: readonly TraceFormat[] = ['txt', 'csv', 'oracle'];

/** Requests decoded per batch (a batch is refilled in place). */
export const BATCH_REQUESTS = 65536;

/** A batch of decoded requests; the arrays are reused from batch to batch. */
export interface RequestBatch {
  /** Number of valid entries in the arrays. */
  n: number;
  /** Integer key below 2^53 (oracle: the object id; txt/csv: a dense interned id). */
  key: Float64Array;
  /** Object size (bytes); 1 when the trace has no size. */
  size: Float64Array;
  /** Request time in the trace's own unit (oracle: s); 0 when the trace has no time. */
  time: Float64Array;
  /** Time to live in the unit of `time`; 0 = never expires. */
  ttl: Float64Array;
  /** Dense id of the key (order of first appearance), filled by an id-assigning reader (ids.ts). */
  id: Int32Array;
}

export function newRequestBatch(capacity = BATCH_REQUESTS): RequestBatch {
  return {
    n: 0,
    key: new Float64Array(capacity),
    size: new Float64Array(capacity),
    time: new Float64Array(capacity),
    ttl: new Float64Array(capacity),
    id: new Int32Array(capacity),
  };
}

/** A streaming, constant-memory reader of one trace file. */
export interface RequestReader {
  /** Refill `batch` with the next requests; resolves false (and n = 0) at the end. */
  next(batch: RequestBatch): Promise<boolean>;
  /** Records skipped as invalid so far (only with `skipInvalid`). */
  readonly skipped: number;
  /** Whether the trace carries a time / size / TTL per request. */
  readonly hasTime: boolean;
  readonly hasSize: boolean;
  readonly hasTtl: boolean;
  /** Bytes consumed from the file so far (compressed bytes for gzip), and the file size. */
  readonly bytesRead: number;
  readonly totalBytes: number;
  /** Release the file. Idempotent; called by the reader itself at the end or on error. */
  close(): Promise<void>;
  /** The reader fills `batch.id` (ids.ts, pipeline.ts). */
  readonly withIds?: boolean;
}

/** Options every reader understands. */
export interface ReaderOptions {
  /** Count and skip malformed lines/records instead of stopping with an InputError. */
  skipInvalid?: boolean;
  /** Longest accepted text line (bytes); a longer line is malformed. Default 1 MiB. */
  maxLineBytes?: number;
  /** Read chunk size (bytes). Default 4 MiB. */
  chunkBytes?: number;
  /**
   * oracleGeneral only: fill `batch.key` alone (time and size are left as they were), for a
   * caller that reads nothing else (replay with unit weights). Records are still validated.
   */
  keysOnly?: boolean;
  /** CSV only: the column mapping, e.g. `time,key,size,ttl` (see csv.ts). */
  columns?: string;
  /** CSV only: field delimiter, one character. Default `,`. */
  delimiter?: string;
  /** CSV only: the first line is a header to skip. */
  header?: boolean;
}

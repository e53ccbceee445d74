/**
 * SimEvent stream → JSONL trace file (`llmcache/trace@1`), streamed with back-pressure, gzip when
 * the file name ends in `.gz`, written atomically by the one writer (src/io/write.ts).
 * Same events and seed → byte-identical file.
 */
import { statSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { Faker, en } from '@faker-js/faker';
import type { Scenario } from '../config.js';
import { writeStreamAtomic } from '../io/write.js';
import { createSyntheticSource } from './generator.js';
import { serializeRecord, TRACE_SCHEMA, type TraceHeader, type TraceRecord } from './jsonl.js';
import {
  EVENT_MESSAGE,
  EVENT_REQUEST,
  MEMORY_DEPTHS,
  newSimEvent,
  PREFIX_BLOCKS,
  PREFIX_SEGMENTS,
  type EventSource,
  type PromptPrefix,
  type SimEvent,
} from './types.js';
import { DEFAULT_BLOCK_TOKENS } from './intern.js';
import { ROLE_OTHER, SEGMENT_ROLES } from './prefix.js';

/** A source whose numeric ids can be turned back into the strings of the trace. */
export interface NamedSource extends EventSource {
  readonly opNames: readonly string[];
  contactName(id: number): string;
  entityName(id: number): string;
  keyString(ev: SimEvent): string;
  tenantName?(id: number): string;
  modelName?(id: number): string;
}

/** The JSONL `prefix` of an event, or undefined when it has none. */
export function prefixRecord(ev: SimEvent): PromptPrefix | undefined {
  if (ev.prefixKind === PREFIX_BLOCKS)
    return { blockTokens: ev.blockTokens === DEFAULT_BLOCK_TOKENS ? undefined : ev.blockTokens, blocks: ev.prefixIds.slice(0, ev.prefixLen) };
  if (ev.prefixKind !== PREFIX_SEGMENTS) return undefined;
  const segments: PromptPrefix['segments'] = [];
  for (let i = 0; i < ev.prefixLen; i++) {
    const role = ev.prefixRoles[i]!;
    segments.push({ name: role === ROLE_OTHER ? undefined : SEGMENT_ROLES[role], id: ev.prefixIds[i]!, tokens: ev.prefixTokens[i]! });
  }
  return { segments };
}

export interface WriteTraceOptions {
  overwrite?: boolean;
  /** Message text for a message event (omitted when undefined). */
  text?: (ev: SimEvent) => string | undefined;
  /** Prompt text for a request event (omitted when undefined). */
  requestText?: (ev: SimEvent) => string | undefined;
}

export interface WriteTraceSummary {
  file: string;
  events: number;
  /** Uncompressed JSONL size (bytes). */
  bytes: number;
  /** Size on disk (bytes). */
  fileBytes: number;
  gzip: boolean;
}

/**
 * The JSONL record of one event. `seqOf` tracks conversation lengths to leave defaults out. Fields
 * are built in `serializeRecord`'s order with absent ones (and false flags) undefined, so
 * `JSON.stringify` of it is the canonical line.
 */
function eventToRecord(ev: SimEvent, src: NamedSource, seqOf: number[], text?: string): TraceRecord {
  const contact = ev.contact >= 0 ? src.contactName(ev.contact) : undefined;
  const tenant = ev.contact >= 0 && ev.tenant > 0 ? (src.tenantName?.(ev.tenant) ?? `t${ev.tenant}`) : undefined;
  if (ev.kind === EVENT_MESSAGE) {
    seqOf[ev.contact] = ev.seq;
    return { type: 'message', t: ev.t, contact: contact!, tenant, seq: ev.seq, text };
  }
  if (ev.kind === EVENT_REQUEST) {
    const entity = ev.entity >= 0 ? src.entityName(ev.entity) : undefined;
    const defaultVersion = entity === undefined && ev.depth >= 0 ? (seqOf[ev.contact] ?? 0) : 0;
    return {
      type: 'request',
      t: ev.t,
      op: src.opNames[ev.op]!,
      contact,
      tenant,
      key: ev.key >= 0 ? src.keyString(ev) : undefined,
      tokensIn: ev.tokensIn,
      tokensOut: ev.tokensOut,
      model: ev.model >= 0 ? src.modelName?.(ev.model) : undefined,
      stream: ev.stream || undefined,
      toolUse: ev.toolUse || undefined,
      depth: ev.depth >= 0 ? MEMORY_DEPTHS[ev.depth] : undefined,
      intent: ev.intent >= 0 ? ev.intent : undefined,
      paraphrase: ev.paraphrase >= 0 ? ev.paraphrase : undefined,
      entity,
      version: entity !== undefined || ev.version !== defaultVersion ? ev.version : undefined,
      text,
      prefix: prefixRecord(ev),
    };
  }
  return { type: 'state', t: ev.t, entity: src.entityName(ev.entity), version: ev.version, contact, tenant };
}

/** Write `header` and every event of `src` to `file`. */
export async function writeTrace(src: NamedSource, header: TraceHeader, file: string, opts: WriteTraceOptions = {}): Promise<WriteTraceSummary> {
  const gzip = /\.gz$/i.test(file);
  let events = 0;
  let bytes = 0;
  let chunk = serializeRecord(header) + '\n';
  /** The file's bytes in ~64 KiB pieces, encoded once (their lengths add up to `bytes`). */
  function* chunks(): Generator<Buffer> {
    const ev = newSimEvent();
    const seqOf: number[] = [];
    while (src.next(ev)) {
      events++;
      const text = ev.kind === EVENT_MESSAGE ? opts.text?.(ev) : ev.kind === EVENT_REQUEST ? opts.requestText?.(ev) : undefined;
      // eventToRecord builds its fields in serializeRecord's order, absent ones undefined: no second copy.
      chunk += JSON.stringify(eventToRecord(ev, src, seqOf, text)) + '\n';
      if (chunk.length >= 1 << 16) yield flush();
    }
    yield flush();
  }
  function flush(): Buffer {
    const buf = Buffer.from(chunk);
    bytes += buf.length;
    chunk = '';
    return buf;
  }
  await writeStreamAtomic(file, chunks(), { overwrite: opts.overwrite, flag: '-o', transform: gzip ? createGzip({ level: 6 }) : undefined });
  return { file, events, bytes, fileBytes: statSync(file).size, gzip };
}

/** The header of a synthetic trace. */
function syntheticHeader(scenario: Scenario, spanMs: number, contacts: number, entities: number): TraceHeader {
  return {
    type: 'header',
    schema: TRACE_SCHEMA,
    scenario: scenario.name,
    seed: scenario.seed,
    ops: Object.keys(scenario.ops),
    spanMs,
    contacts,
    entities,
    generator: 'llmcache trace generate',
  };
}

/** Generate the scenario's synthetic workload into a trace file (faker text seeded by the scenario seed). */
export async function writeSyntheticTrace(scenario: Scenario, file: string, opts: { overwrite?: boolean } = {}): Promise<WriteTraceSummary> {
  const src = createSyntheticSource(scenario);
  const header = syntheticHeader(scenario, src.spanMs(), src.contacts, src.entities);
  const text = messageText(scenario.seed, (c) => src.zipOf(c));
  return writeTrace(src, header, file, { overwrite: opts.overwrite, text: (ev) => text(ev.contact) });
}

/**
 * Readable message text for a contact: faker, seeded by the scenario seed. Names and zip codes
 * are derived per contact / zip index (so they do not depend on event order); the wording is
 * drawn in event order from one seeded stream.
 */
function messageText(seed: number, zipOf: (contact: number) => number): (contact: number) => string {
  const words = new Faker({ locale: [en] });
  words.seed(seed);
  const perId = new Faker({ locale: [en] });
  const names = new Map<number, string>();
  const zips = new Map<number, string>();
  const nameOf = (c: number): string => {
    let n = names.get(c);
    if (n === undefined) {
      perId.seed([seed, 1, c]);
      names.set(c, (n = perId.person.firstName()));
    }
    return n;
  };
  const zipCode = (z: number): string => {
    let n = zips.get(z);
    if (n === undefined) {
      perId.seed([seed, 2, z]);
      zips.set(z, (n = perId.location.zipCode('#####')));
    }
    return n;
  };
  const f = words;
  const templates: ((c: number) => string)[] = [
    (c) => `Hi, this is ${nameOf(c)}. Any ${f.number.int({ min: 1, max: 5 })}-bedroom homes near ${zipCode(zipOf(c))} under $${f.number.int({ min: 3, max: 15 }) * 100}k?`,
    () => `Is the house on ${f.location.street()} still available?`,
    () => `Can we see it ${f.date.weekday()} around ${f.number.int({ min: 9, max: 18 })}:00?`,
    () => `What are the HOA fees there?`,
    () => `Does it have a garage? We have ${f.number.int({ min: 1, max: 3 })} cars.`,
    () => `We're pre-approved for $${f.number.int({ min: 3, max: 15 }) * 100}k. What would the monthly payment be?`,
    (c) => `How are the schools around ${zipCode(zipOf(c))}?`,
    () => `Thanks! Let me talk to my ${f.helpers.arrayElement(['wife', 'husband', 'partner', 'parents'])} and get back to you.`,
    (c) => `${nameOf(c)} here again. Did the seller reply to our offer on ${f.location.street()}?`,
  ];
  return (c: number) => f.helpers.arrayElement(templates)(c);
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLine, recordFields, serializeRecord, TraceLineError, validateRecord, type TraceRecord } from '../../src/trace/jsonl.js';

const req = { type: 'request', t: 5, op: 'score', contact: 'c1', key: 'score:c1:ab', tokensIn: 2000, tokensOut: 10 };

function problem(line: string): TraceLineError {
  try {
    parseLine(line);
  } catch (e) {
    assert.ok(e instanceof TraceLineError, `expected a TraceLineError, got ${String(e)}`);
    return e;
  }
  assert.fail(`accepted ${line}`);
}

test('valid records of every type parse to themselves', () => {
  const lines: TraceRecord[] = [
    { type: 'header', schema: 'llmcache/trace@1', scenario: 's', seed: 1, ops: ['memory', 'score'] },
    { type: 'message', t: 0, contact: 'c1', seq: 1, text: 'hi' },
    { ...req, type: 'request', depth: 'recent100', stream: true, intent: 3, paraphrase: 7, entity: 'contact:c1', version: 2 } as TraceRecord,
    { type: 'state', t: 9, entity: 'contact:c1', version: 3, contact: 'c1', from: 'Cold', to: 'Warm' },
  ];
  for (const r of lines) assert.deepEqual(parseLine(JSON.stringify(r)), r);
});

test('errors name the field, what was expected and what was given', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ ...req, tokensIn: -1 }, 'tokensIn', /expected an integer >= 0, got -1/],
    [{ ...req, tokensIn: '2000' }, 'tokensIn', /got "2000"/],
    [{ ...req, t: 'noon' }, 't', /expected a finite number >= 0, got "noon"/],
    [{ ...req, depth: 'recent5' }, 'depth', /expected one of recent10 \| recent100 \| full, got "recent5"/],
    [{ ...req, stream: 'yes' }, 'stream', /expected true or false/],
    [{ ...req, key: '' }, 'key', /non-empty string, got ""/],
    [{ ...req, tokenIn: 5 }, 'tokenIn', /unknown field for a request record/],
    [{ ...req, entity: 'contact:c1' }, 'version', /required when a request names its entity/],
    [{ type: 'request', t: 1, op: 'score', contact: 'c1', tokensIn: 1 }, 'tokensOut', /required for a request record, got nothing/],
    [{ ...req, prefix: { blocks: [0, 1], segments: [] } }, 'prefix', /exactly one of blocks or segments/],
    [{ ...req, prefix: { blocks: [0, -1] } }, 'prefix.blocks[1]', /expected an integer >= 0, got -1/],
    [{ ...req, prefix: { blocks: [0], blockTokens: 0 } }, 'prefix.blockTokens', /integer >= 1, got 0/],
    [{ ...req, prefix: { segments: [{ name: 'system', id: 'sys', tokens: 100 }, { id: 'm', tokens: 'many' }] } }, 'prefix.segments[1].tokens', /integer >= 0, got "many"/],
    [{ ...req, prefix: { segments: [{ id: '', tokens: 1 }] } }, 'prefix.segments[0].id', /non-empty string or an integer/],
    [{ ...req, prefix: { segments: [{ id: 'a', tokens: 1, size: 2 }] } }, 'prefix.segments[0].size', /unknown field \(known: name, id, tokens\)/],
    [{ ...req, prefix: { segments: [{ id: 'a', tokens: 1 }], blockTokens: 64 } }, 'prefix.blockTokens', /only block ids have a block size/],
    [{ ...req, type: 'reqest' }, 'type', /expected one of header \| message \| request \| state, got "reqest"/],
    [{ ...req, type: 'constructor' }, 'type', /got "constructor"/],
    [{ type: 'header', schema: 'llmcache/trace@2' }, 'schema', /version 1 traces/],
    [{ type: 'state', t: 1, entity: 'e', version: 1.5 }, 'version', /integer/],
    [{ ...req, embedding: [1, 'x'] }, 'embedding', /array of finite numbers, got an array of 2/],
  ];
  for (const [rec, field, msg] of cases) {
    const e = problem(JSON.stringify(rec));
    assert.equal(e.field, field, JSON.stringify(rec));
    assert.ok(e.message.startsWith(`field "${field}": `), e.message);
    assert.match(e.message, msg);
  }
});

test('a request without contact or key is valid (recorded traffic); a prefix of block ids or segments is valid', () => {
  for (const rec of [
    { type: 'request', t: 1, op: 'llm', tokensIn: 900, tokensOut: 40 },
    { type: 'request', t: 1, op: 'llm', tokensIn: 900, tokensOut: 40, model: 'gpt-5.4', prefix: { blocks: [0, 1], blockTokens: 512 } },
    { ...req, prefix: { segments: [{ name: 'system', id: 'op:score', tokens: 1200 }, { name: 'history', id: 7, tokens: 300 }, { id: 'm1', tokens: 20 }] } },
  ])
    assert.deepEqual(parseLine(JSON.stringify(rec)), rec);
});

test('syntax errors and non-objects are reported without a field', () => {
  assert.match(problem('{"type":"request",').message, /^invalid JSON/);
  assert.match(problem('[1,2]').message, /expected a JSON object, got an array of 2/);
  assert.match(problem('42').message, /expected a JSON object, got 42/);
  assert.equal(problem('null').field, null);
});

test('long strings in errors are truncated', () => {
  const e = problem(JSON.stringify({ ...req, depth: 'x'.repeat(5000) }));
  assert.ok(e.message.length < 200, e.message);
});

test('serialize: fixed field order, absent and false fields left out, round trip', () => {
  const rec = { tokensOut: 0, key: 'k', type: 'request', contact: 'c', op: 'intent', t: 1, tokensIn: 3, stream: false, toolUse: true } as TraceRecord;
  const line = serializeRecord(rec);
  assert.equal(line, '{"type":"request","t":1,"op":"intent","contact":"c","key":"k","tokensIn":3,"tokensOut":0,"toolUse":true}');
  assert.deepEqual(validateRecord(JSON.parse(line)), { type: 'request', t: 1, op: 'intent', contact: 'c', key: 'k', tokensIn: 3, tokensOut: 0, toolUse: true });
});

test('the fast path and the table agree: a record with a rare field still validates', () => {
  const r = { ...req, embedding: [0.1, 0.2], meta: { source: 'proxy' } };
  assert.deepEqual(parseLine(JSON.stringify(r)), r);
});

test('schema/trace.schema.json lists exactly the fields the reader knows and requires', () => {
  const schema = JSON.parse(readFileSync(new URL('../../schema/trace.schema.json', import.meta.url), 'utf8'));
  for (const type of ['header', 'message', 'request', 'state'] as const) {
    const def = schema.$defs[type];
    const mine = recordFields(type);
    assert.deepEqual(Object.keys(def.properties).sort(), [...mine.fields].sort(), type);
    assert.deepEqual([...def.required].sort(), [...mine.required].sort(), type);
    assert.equal(def.additionalProperties, false);
    assert.equal(def.properties.type.const, type);
  }
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
});

/**
 * Readers of recorded traffic on hand-written fixtures (never the public files): each format's
 * fields land in the right request fields, errors name file, line and field (exit 2), nothing is
 * written on an error, `--skip-invalid` skips and counts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';
import { detectFormat, openAnySource, parseDateMs, splitCsv } from '../../src/trace/recorded.js';
import { newSimEvent, PREFIX_BLOCKS, type SimEvent } from '../../src/trace/types.js';
import type { TraceSource } from '../../src/trace/reader.js';

const tmp = tempDir('llmcache-recorded-');

const MOONCAKE = [
  '{"timestamp": 0, "input_length": 1100, "output_length": 40, "hash_ids": [0, 1, 2]}',
  '{"timestamp": 0, "input_length": 1500, "output_length": 60, "hash_ids": [0, 1, 3]}',
  '{"timestamp": 2500, "input_length": 600, "output_length": 10, "hash_ids": [4, 5]}',
].join('\n');
const AZURE = ['TIMESTAMP,ContextTokens,GeneratedTokens', '2023-11-16 18:15:46.6805900,374,44', '2023-11-16 18:15:50.9951690,396,109', '2023-11-16 18:16:46.6805900,91,16', ''].join('\n');
const BURST = [
  'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type',
  '5,ChatGPT,472,18,490,Conversation log',
  '45,GPT-4,1087,0,1087,API log',
  '46.5,ChatGPT,200,300,500,Conversation log',
].join('\n');

function all(src: TraceSource): SimEvent[] {
  const out: SimEvent[] = [];
  for (let ev = newSimEvent(); src.next(ev); ev = newSimEvent()) out.push(ev);
  return out;
}

test('Mooncake JSONL: timestamps, token counts and hash_ids as a 512-token block prefix; no key, no contact', async () => {
  const f = tmp.file('m.jsonl', MOONCAKE);
  assert.equal(detectFormat(f), 'mooncake');
  const evs = all(await openAnySource(f, undefined));
  assert.deepEqual(evs.map((e) => [e.t, e.tokensIn, e.tokensOut, e.key, e.contact]), [[0, 1100, 40, -1, -1], [0, 1500, 60, -1, -1], [2500, 600, 10, -1, -1]]);
  assert.equal(evs[1]!.prefixKind, PREFIX_BLOCKS);
  assert.equal(evs[1]!.blockTokens, 512);
  assert.deepEqual(evs[1]!.prefixIds.slice(0, evs[1]!.prefixLen), [0, 1, 3]);
  // The same, gzip-compressed, whatever its name.
  const gz = join(tmp.dir, 'm.bin');
  (await import('node:fs')).writeFileSync(gz, gzipSync(MOONCAKE));
  assert.equal(all(await openAnySource(gz, 'mooncake')).length, 3);
});

test('Azure CSV: the 7-digit timestamps rebased to the first row (ms); BurstGPT: seconds and the model column', async () => {
  const az = tmp.file('az.csv', AZURE);
  assert.equal(detectFormat(az), 'azure');
  const a = all(await openAnySource(az, undefined));
  assert.equal(a.length, 3);
  assert.ok(Math.abs(a[1]!.t - 4314.579) < 1e-3, String(a[1]!.t)); // 50.9951690 - 46.6805900 s (to the µs: epoch ms in a double)
  assert.equal(a[2]!.t, 60_000);
  assert.deepEqual(a.map((e) => [e.tokensIn, e.tokensOut]), [[374, 44], [396, 109], [91, 16]]);
  const bg = tmp.file('bg.csv', BURST);
  assert.equal(detectFormat(bg), 'burstgpt');
  const src = await openAnySource(bg, undefined);
  const b = all(src);
  assert.deepEqual(b.map((e) => [e.t, e.tokensIn, e.tokensOut, src.modelName(e.model)]), [[0, 472, 18, 'ChatGPT'], [40_000, 1087, 0, 'GPT-4'], [41_500, 200, 300, 'ChatGPT']]);
  assert.equal(parseDateMs('2023-11-16T18:15:46.5+01:00'), Date.UTC(2023, 10, 16, 17, 15, 46, 500));
});

test('CSV with --map (a LiteLLM-style spend log): users become contacts, the prompt becomes the key and text', async () => {
  const f = tmp.file(
    'spend.csv',
    ['request_id,startTime,model,prompt_tokens,completion_tokens,user,prompt', 'r1,2026-11-30T10:00:00Z,gpt-5.4,1200,80,alice,"What is the HOA fee, roughly?"', 'r2,2026-11-30T10:00:03Z,gpt-5.4,1250,90,bob,"What is the HOA fee, roughly?"', 'r3,2026-11-30T10:01:00Z,gpt-5.4-mini,300,20,alice,"Say ""hi"""'].join('\n'),
  );
  const src = await openAnySource(f, 'csv', { map: 'time=startTime,in=prompt_tokens,out=completion_tokens,model=model,user=user,prompt=prompt' });
  const evs = all(src);
  assert.deepEqual(evs.map((e) => [e.t, e.contact, e.key, src.modelName(e.model)]), [[0, 0, 0, 'gpt-5.4'], [3000, 1, 0, 'gpt-5.4'], [60_000, 0, 1, 'gpt-5.4-mini']]);
  assert.deepEqual(splitCsv('a,"b,c","d ""e"""'), ['a', 'b,c', 'd "e"']);
});

test('JSONL with --map and dotted paths (a Langfuse-style export); numeric times in seconds', async () => {
  const f = tmp.file('lf.jsonl', ['{"ts": 100.5, "usage": {"input": 900, "output": 30}, "model": "claude-haiku-4-5", "sessionId": "s1"}', '{"ts": 101, "usage": {"input": 950, "output": 35}, "model": "claude-haiku-4-5", "sessionId": "s1"}'].join('\n'));
  const src = await openAnySource(f, 'jsonl', { map: 'time=ts,in=usage.input,out=usage.output,model=model,key=sessionId', timeUnit: 's' });
  const evs = all(src);
  assert.deepEqual(evs.map((e) => [e.t, e.tokensIn, e.tokensOut, e.key]), [[0, 900, 30, 0], [500, 950, 35, 0]]);
});

test('bad input: one sentence each, file:line: field, exit 2, nothing written', async () => {
  const out = join(tmp.dir, 'never.jsonl');
  const cases: [string[], RegExp][] = [
    [['--from', 'mooncake', tmp.file('bad1.jsonl', MOONCAKE.replace('"output_length": 60', '"output_length": "lots"'))], /bad1\.jsonl:2: field "output_length": expected a token count \(an integer >= 0\), got "lots"/],
    [['--from', 'mooncake', tmp.file('bad2.jsonl', MOONCAKE.replace('[4, 5]', '[4, -5]'))], /bad2\.jsonl:3: field "hash_ids\[1\]": expected an integer >= 0, got -5/],
    [['--from', 'azure', tmp.file('bad3.csv', AZURE.replace('396', 'n/a'))], /bad3\.csv:3: field "ContextTokens": expected a token count .*got "n\/a"/],
    [['--from', 'azure', tmp.file('bad4.csv', AZURE.replace('2023-11-16 18:16:46', '2023-11-16 18:14:46'))], /bad4\.csv:4: field "TIMESTAMP": expected rows in time order/],
    [['--from', 'azure', tmp.file('bad5.csv', BURST)], /bad5\.csv:1: not a Azure LLM inference CSV: the header lacks "TIMESTAMP", "ContextTokens", "GeneratedTokens"/],
    [['--from', 'csv', '--map', 'time=startTime,in=prompt_tokens,out=completion_tokens,user=usr', tmp.file('bad6.csv', 'startTime,prompt_tokens,completion_tokens,user\n1,2,3,a\n')], /--map: column\(s\) "usr" not in the header of .*bad6\.csv \(columns: startTime, prompt_tokens, completion_tokens, user\)/],
    [['--from', 'csv', '--map', 'time=a,in=b,out=c,cost=d', tmp.file('bad7.csv', 'a,b,c\n')], /--map: unknown role "cost"/],
    [['--from', 'csv', tmp.file('bad8.csv', 'a,b,c\n')], /--from csv needs --map/],
    [['--from', 'azure', tmp.file('empty.csv', '')], /empty\.csv: no requests in the file/],
    [['--from', 'azure', tmp.file('header-only.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n')], /header-only\.csv: no requests in the file \(only a header/],
    [['--from', 'jsonl', '--map', 'time=ts,in=usage.inptu,out=usage.output', tmp.file('bad9.jsonl', '{"ts":1,"usage":{"input":1,"output":2}}\n')], /--map: field\(s\) "usage.inptu" not in the first record/],
  ];
  for (const [args, msg] of cases) {
    const r = await runCli(['trace', 'import', ...args, '-o', out]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, msg);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(!existsSync(out), 'nothing written');
  }
});

test('--skip-invalid skips bad rows, reports and counts them; detection refuses an unknown CSV', async () => {
  const f = tmp.file('skip.csv', AZURE.replace('396', 'x'));
  const out = join(tmp.dir, 'skip-out.jsonl');
  const r = await runCli(['trace', 'import', '--from', 'azure', f, '-o', out, '--skip-invalid']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /skipped .*skip\.csv:3: field "ContextTokens"/);
  assert.match(r.err, /imported 2 requests .*skipped 1 invalid line/);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 3); // header + 2 requests
  const unknown = await runCli(['trace', 'stats', tmp.file('what.csv', 'when,tokens\n1,2\n')]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /cannot tell the trace format from the header \(when, tokens\); give --trace-format csv --map/);
});

test('trace import writes llmcache/trace@1.1 that reads back to the same requests; stats and simulate read the formats directly', async () => {
  const src = tmp.file('rt.jsonl', MOONCAKE);
  const out = join(tmp.dir, 'rt-out.jsonl.gz');
  const r = await runCli(['trace', 'import', '--from', 'mooncake', src, '-o', out]);
  assert.equal(r.code, 0, r.err);
  const direct = JSON.parse((await runCli(['trace', 'stats', src, '--json'])).out);
  const imported = JSON.parse((await runCli(['trace', 'stats', out, '--json'])).out);
  for (const s of [direct, imported]) {
    assert.equal(s.requests, 3);
    assert.equal(s.keylessRequests, 3);
    assert.deepEqual(s.tokens, { in: 3200, out: 110 });
    assert.deepEqual(s.promptPrefix, { requests: 3, blocks: 8, segments: 0 });
  }
  const sim = JSON.parse((await runCli(['simulate', '--trace', src, '--json'])).out);
  assert.equal(sim.requests, 3);
  assert.equal(sim.llmCalls, 3, 'key-less requests are never served by the application tiers');
  const simImported = JSON.parse((await runCli(['simulate', '--trace', out, '--json'])).out);
  assert.deepEqual(simImported.cost, sim.cost);
});

test('blank lines mean the same to the llmcache reader and the recorded-traffic readers: a BOM-only or whitespace-only line is skipped', async () => {
  const blanks = ['', '   ', '\ufeff', '\u00a0'];
  const mooncake = tmp.file('blank-mooncake.jsonl', MOONCAKE.split('\n').flatMap((l) => [l, ...blanks]).join('\n'));
  const llmcache = tmp.file('blank-llmcache.jsonl', ['{"type":"header","schema":"llmcache/trace@1","ops":["score"]}', ...blanks, '{"type":"request","t":0,"op":"score","key":"k","tokensIn":1,"tokensOut":1}', ...blanks].join('\n'));
  for (const [file, format, requests] of [
    [mooncake, 'mooncake', 3],
    [llmcache, 'llmcache', 1],
  ] as const) {
    const src = await openAnySource(file, format, {});
    const ev = newSimEvent();
    let n = 0;
    while (src.next(ev)) n++;
    assert.equal(n, requests, format);
    assert.equal(src.skipped, 0, format);
  }
});

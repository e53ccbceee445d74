/** Shared helpers of the trace tests: temp files, draining a source, capturing the CLI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { newSimEvent, type EventSource, type SimEvent } from '../../src/trace/types.js';
import { tempDir } from '../tmp-helper.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { dir } = tempDir('llmcache-trace-');

export function tmpPath(name: string): string {
  return join(dir, name);
}

/** Write a trace from records (objects are JSON-encoded, strings written as they are). */
export function traceFile(name: string, lines: (object | string)[], opts: { gzip?: boolean; eol?: string } = {}): string {
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join(opts.eol ?? '\n') + (opts.eol ?? '\n');
  const p = tmpPath(name);
  writeFileSync(p, opts.gzip ? gzipSync(text) : text);
  return p;
}

/** Every event of a source, copied. */
export function drain(src: EventSource): SimEvent[] {
  const out: SimEvent[] = [];
  const ev = newSimEvent();
  while (src.next(ev)) out.push({ ...ev });
  return out;
}

export const HEADER = { type: 'header', schema: 'llmcache/trace@1', ops: ['memory', 'score', 'intent', 'market', 'response'] };

/** A request record with defaults. */
export function req(t: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'request', t, op: 'score', contact: 'c1', key: 'score:c1:1', tokensIn: 100, tokensOut: 5, ...over };
}

export { runCli } from '../cli-helper.js';

/** Run the CLI in a child process (`node --import tsx`): the real exit code and streams. */
export function runCliProcess(args: string[]): { code: number | null; out: string; err: string } {
  const script = "import { main } from './src/cli.ts'; process.exitCode = await main(['node', 'llmcache', ...process.argv.slice(1)]);";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * What a process start loads (docs/architecture.md, "Measurement"): a run on the embedded defaults
 * never loads yaml, and no run loads hdr-histogram-js's log writer (its load-time Intl.NumberFormat
 * is about 110 M instructions). Checked in a fresh process through the CommonJS module cache, where
 * both packages' files land.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** The CommonJS files a fresh process has loaded after `llmcache ARGS` (stdout discarded). */
function loadedFiles(...args: string[]): string[] {
  const script = `
    import { createRequire } from 'node:module';
    import { output } from './src/output.ts';
    import { main } from './src/cli.ts';
    output.stdout = () => {};
    const code = await main(['node', 'llmcache', ...${JSON.stringify(args)}]);
    process.stderr.write(JSON.stringify({ code, files: Object.keys(createRequire(import.meta.url).cache) }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  const { code, files } = JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('{"code"'))) as { code: number; files: string[] };
  assert.equal(code, 0, r.stderr);
  return files;
}

const isYaml = (f: string) => /node_modules\/yaml\//.test(f);

test('simulate on the embedded defaults loads neither yaml nor the histogram log writer', () => {
  const files = loadedFiles('simulate', '--leads', '2', '--days', '0.05', '--json');
  assert.ok(files.some((f) => /hdr-histogram-js\/dist\/encoding\.js$/.test(f)), 'the histogram encoder is loaded (the check sees this package)');
  assert.deepEqual(files.filter(isYaml), []);
  assert.deepEqual(files.filter((f) => /HistogramLogWriter/.test(f)), []);
});

test('a YAML scenario loads yaml when it is read', () => {
  const files = loadedFiles('simulate', '--scenario', 'scenarios/small.yaml', '--days', '0.05', '--json');
  assert.ok(files.some(isYaml));
});

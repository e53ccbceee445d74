/**
 * Start-up cost: a command loads what it runs and no more (src/cli.ts loads command modules
 * lazily), and a dependency loads only when used (docs/architecture.md, "Measurement"). The project
 * modules a run loads are listed by a module-load hook in a child process; the dependencies'
 * CommonJS files, from that process's module cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-lazy-');
const hooks = tmp.file(
  'hooks.mjs',
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.includes('/src/')) appendFileSync(process.env.LOADED_LOG, url + '\\n');
  return next(url, context);
}
`,
);
const register = tmp.file('register.mjs', `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

/** The project modules (paths under src/) that `llmcache ...args` loads. */
function loadedModules(args: string[]): string[] {
  const log = `${tmp.dir}/loaded-${args.join('-').replace(/[^\w-]/g, '_')}.log`;
  const cli = `const { main } = await import(${JSON.stringify(pathToFileURL(resolve('src/cli.ts')).href)}); process.exitCode = await main(['node', 'llmcache', ...process.argv.slice(1)]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', register, '--input-type=module', '-e', cli, '--', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, LOADED_LOG: log },
  });
  assert.equal(r.status, 0, r.stderr);
  return spawnSync('cat', [log], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((u) => u.replace(/^.*\/src\//, 'src/'));
}

test('simulate --json of the synthetic workload loads neither the recorded-trace readers, the reporters nor zod', () => {
  const synthetic = loadedModules(['simulate', '--leads', '20', '--days', '1', '--json']);
  assert.ok(synthetic.includes('src/commands/options.ts'), synthetic.join(' '));
  assert.ok(synthetic.includes('src/trace/formats.ts'), 'the format names are loaded');
  assert.ok(!synthetic.includes('src/trace/recorded.ts'), 'trace/recorded.ts is loaded only for --trace');
  assert.ok(!synthetic.includes('src/report/render.ts'), 'the reporters are loaded only to print a table');
  assert.ok(!synthetic.includes('src/config/schema.ts') && !synthetic.includes('src/config/explain.ts'), 'zod is loaded only to explain an invalid scenario');
});

test('a command printing its table loads the text serializer only: no Markdown, HTML or chart code (nor the histogram decoder they load)', () => {
  const trace = tmp.file('keys.txt', 'a\nb\na\nc\nb\na\n');
  const table = loadedModules(['replay', trace, '--cache', 'lru:2']);
  assert.ok(table.includes('src/report/text.ts') && table.includes('src/report/views.ts'), table.join(' '));
  for (const m of ['src/report/render.ts', 'src/report/markdown.ts', 'src/report/html.ts', 'src/report/svg.ts', 'src/histogram.ts']) assert.ok(!table.includes(m), `${m} is loaded only for report's other formats`);
});

test('replay --json loads no reporter: its help wraps with src/core/text.ts, not the table code', () => {
  const trace = tmp.file('keys-json.txt', 'a\nb\na\n');
  const json = loadedModules(['replay', trace, '--cache', 'lru:2', '--json']);
  assert.ok(json.includes('src/commands/replay.ts') && json.includes('src/core/text.ts'), json.join(' '));
  assert.deepEqual(json.filter((m) => m.startsWith('src/report/')), [], 'the reporters load only to print a table');
});

/**
 * The CommonJS files (the dependencies' modules: yaml, hdr-histogram-js and what they require, which
 * the hook above does not see) a fresh process has loaded after `llmcache ARGS`, from its module cache.
 */
function loadedPackageFiles(...args: string[]): string[] {
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

test('simulate on the embedded defaults loads neither yaml nor hdr-histogram-js\'s log writer (its load-time Intl.NumberFormat is about 110 M instructions)', () => {
  const files = loadedPackageFiles('simulate', '--leads', '2', '--days', '0.05', '--json');
  assert.ok(files.some((f) => /hdr-histogram-js\/dist\/encoding\.js$/.test(f)), 'the histogram encoder is loaded (the check sees this package)');
  assert.deepEqual(files.filter(isYaml), []);
  assert.deepEqual(files.filter((f) => /HistogramLogWriter/.test(f)), []);
});

test('a YAML scenario loads yaml when it is read', () => {
  const files = loadedPackageFiles('simulate', '--scenario', 'scenarios/small.yaml', '--days', '0.05', '--json');
  assert.ok(files.some(isYaml));
});

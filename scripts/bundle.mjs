#!/usr/bin/env node
// The CLI bundle that bin/llmcache.js loads (docs/architecture.md#build): src/cli.ts and every module
// a command imports, with commander, yaml and hdr-histogram-js, as ESM chunks in dist/bundle/. Each
// lazily imported module (a command, a reporter, a tier) stays a chunk of its own, loaded when used.
// One process start then resolves and compiles a few chunks instead of 40 to 70 modules and the
// dependencies' CommonJS files one by one.
// Left out, loaded from node_modules as before: the other dependencies (heavy, and loaded only by
// the commands that use them: Redis, Postgres, PGlite, faker, zod, ...), and the modules that run
// on their own (worker threads, child processes, config/explain.ts): those load tsc's output in
// dist/, found through src/core/layout.ts, which relies on the chunks sitting one folder below dist/.
// Usage: node scripts/bundle.mjs (after tsc; `npm run build` runs both).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/bundle');
/** Dependencies bundled in: loaded by most commands at start, pure JavaScript, many CommonJS files each. */
const BUNDLED = new Set(['commander', 'yaml', 'hdr-histogram-js']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies)
  .filter((d) => !BUNDLED.has(d))
  .flatMap((d) => [d, `${d}/*`]);

// commander requires node:child_process (about 20 M instructions to load) only to run executable
// subcommands, which llmcache has none of: it gets a stand-in that loads the module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (a) => (a.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = { spawn: (...args) => process.getBuiltinModule('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, 'src/cli.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [lazyChildProcess],
  // The bundled CommonJS dependencies call require() for Node's modules; ESM has none.
  banner: { js: "import { createRequire as __llmcacheRequire } from 'node:module';\nconst require = __llmcacheRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});

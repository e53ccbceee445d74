#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A checkout that was never built (or whose dependencies are missing) says so in one sentence, not a stack trace.
const cli = new URL('../dist/cli.js', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(`llmcache: not built (no dist/cli.js in ${root}); run \`npm run build\` there (or \`npm ci\`, which builds it)\n`);
  process.exit(2);
}
let main;
try {
  ({ main } = await import(cli.href));
} catch (e) {
  const missing = e?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package '([^']+)'/.exec(e.message);
  if (!missing) throw e;
  process.stderr.write(`llmcache: a dependency is not installed (package ${missing[1]}); run \`npm ci\` in ${root}\n`);
  process.exit(2);
}

// `llmcache … | head` closes stdout early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});

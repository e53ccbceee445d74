/**
 * The layers of llmcache (docs/architecture.md, "Layers"): a module may import from its own layer
 * and the layers below it, never above; engines do not import each other, nor commands each
 * other. Checked in `npm test` (test/architecture.test.ts) with dependency-cruiser.
 */
const LAYERS = [
  // top: the command line
  ['cli', '^src/cli\\.ts$', '^src/commands/'],
  // runs many simulations
  ['sweep', '^src/sweep/'],
  // engines
  ['engines', '^src/sim/', '^src/bench/', '^src/replay/', '^src/gate\\.ts$', '^src/gate-run\\.ts$'],
  ['semantic', '^src/semantic/'],
  ['tiers', '^src/tiers/'],
  ['cache', '^src/cache/'],
  ['trace', '^src/trace/', '^src/promptcache/', '^src/vectors/'],
  // reporters: result -> view -> text, Markdown, HTML; they see the result contract only
  ['report', '^src/report/'],
  ['model', '^src/config\\.ts$', '^src/config/', '^src/model/', '^src/cost\\.ts$', '^src/prices/', '^src/histogram\\.ts$', '^src/stats/'],
  ['core', '^src/core/', '^src/workers\\.ts$', '^src/io/', '^src/errors\\.ts$', '^src/output\\.ts$'],
];
const anyOf = (paths) => `(${paths.join('|')})`;
const forbidden = [];
LAYERS.forEach(([name, ...paths], i) => {
  const above = LAYERS.slice(0, i).flatMap(([, ...p]) => p);
  if (above.length > 0)
    forbidden.push({ name: `${name}-imports-up`, severity: 'error', comment: `the ${name} layer must not import a layer above it`, from: { path: anyOf(paths) }, to: { path: anyOf(above) } });
});
// Siblings that must stay independent.
const ENGINES = ['sim', 'bench', 'replay'];
for (const a of ENGINES)
  forbidden.push({ name: `${a}-imports-another-engine`, severity: 'error', from: { path: `^src/${a}/` }, to: { path: `^src/(${ENGINES.filter((b) => b !== a).join('|')})/` } });
forbidden.push({ name: 'command-imports-command', severity: 'error', comment: 'share through src/commands/options.ts, not through another command', from: { path: '^src/commands/([^/]+)\\.ts$' }, to: { path: '^src/commands/', pathNot: ['^src/commands/$1\\.ts$', '^src/commands/options\\.ts$', '^src/commands/[a-z-]+-options\\.ts$'] } });
forbidden.push({ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } });
forbidden.push({ name: 'unlayered', severity: 'error', comment: 'every source file belongs to a layer: add its folder to LAYERS', from: { path: '^src/', pathNot: anyOf(LAYERS.flatMap(([, ...p]) => p)) }, to: {} });

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

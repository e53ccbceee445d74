/** `llmcache prices`: the shipped, dated price catalog (prices/catalog.json). */
import type { Command } from 'commander';
import Table from 'cli-table3';
import { output } from '../output.js';
import { loadCatalog, type PriceEntry } from '../prices/catalog.js';

const price = (v: number | null) => (v === null ? '—' : `$${v}`);

export function renderPrices(models: PriceEntry[], checkedOn: string): string {
  const t = new Table({
    head: ['provider', 'model', 'input', 'output', 'cache read', 'write 5m', 'write 1h', 'min prefix', 'as of'],
    style: { head: [], border: [] },
  });
  for (const m of models)
    t.push([m.provider, m.model, price(m.inputPerMTok), price(m.outputPerMTok), price(m.cacheReadPerMTok), price(m.cacheWrite5mPerMTok), price(m.cacheWrite1hPerMTok), m.minCacheTokens ?? '—', m.asOf]);
  return (
    `USD per 1M tokens (standard processing). — = no such price: a cache write then costs the input price.\n` +
    `${t.toString()}\nChecked against each entry's source on ${checkedOn}; \`llmcache prices --json\` shows the sources.\n`
  );
}

export function register(program: Command): void {
  program
    .command('prices')
    .description('List the price catalog: input, output, cache read and cache write prices and the minimum cacheable prefix per model, with sources and dates')
    .option('--json', 'print the catalog as a JSON array')
    .option('--provider <name>', 'only this provider (anthropic, openai, google, deepseek)')
    .addHelpText('after', '\nA scenario op names a model from this list (`model: claude-sonnet-4-5`) and may override any field under `models:`.\n\nExamples:\n  llmcache prices\n  llmcache prices --provider anthropic --json')
    .action((o: { json?: boolean; provider?: string }) => {
      const cat = loadCatalog();
      const models = cat.models.filter((m) => o.provider === undefined || m.provider === o.provider.toLowerCase());
      output.stdout(o.json ? JSON.stringify(models, null, 2) + '\n' : renderPrices(models, cat.checkedOn));
    });
}

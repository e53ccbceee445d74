/**
 * `npm run docs:figures`: regenerate every figure quoted in README.md and docs/*.md from fixed-seed
 * runs of the built CLI, so the documentation tells the truth by construction.
 *
 * A quoted figure lives in a marked section:
 *
 *   <!-- figures:NAME -->
 *   …generated text, never edited by hand…
 *   <!-- /figures -->
 *
 * `npm run docs:figures` rewrites every section from its renderer below; `--check` rewrites nothing
 * and exits 1 naming the sections that are stale (CI runs it). Only deterministic figures belong
 * here (simulate and sweep in virtual time, seeded trace statistics); timing figures stay outside
 * the markers and say on which machine and with which command they were measured.
 *
 * Usage: node --import tsx scripts/docs-figures.ts [--check] [--root DIR]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const REPO = resolve(fileURLToPath(import.meta.url), '../..');

// ---------------------------------------------------------------------------------------------
// Marked sections (pure; tested in test/scripts/docs-figures.test.ts)

const OPEN = /<!-- figures:([a-z0-9-]+) -->\n/g;
const CLOSE = '<!-- /figures -->';

export interface Section {
  name: string;
  /** Offsets of the generated text (between the opening marker's newline and the closing marker). */
  start: number;
  end: number;
}

/** The marked sections of a document, in order; a marker without its closing pair is an error. */
export function findSections(text: string, file = '(text)'): Section[] {
  const out: Section[] = [];
  for (const m of text.matchAll(OPEN)) {
    const start = m.index + m[0].length;
    const end = text.indexOf(CLOSE, start);
    const nextOpen = text.slice(start).search(/<!-- figures:/);
    if (end < 0 || (nextOpen >= 0 && start + nextOpen < end)) throw new Error(`${file}: <!-- figures:${m[1]} --> has no closing ${CLOSE}`);
    out.push({ name: m[1]!, start, end });
  }
  return out;
}

/** `text` with every section replaced by `generated[name]`, and the names whose text changed. */
export function rewriteSections(text: string, generated: Record<string, string>, file = '(text)'): { text: string; stale: string[] } {
  const stale: string[] = [];
  let out = '';
  let at = 0;
  for (const s of findSections(text, file)) {
    const body = generated[s.name];
    if (body === undefined) throw new Error(`${file}: unknown figures section "${s.name}" (known: ${Object.keys(generated).join(', ')})`);
    const fresh = body.endsWith('\n') || body.endsWith('\n  ') ? body : body + '\n';
    if (text.slice(s.start, s.end) !== fresh) stale.push(s.name);
    out += text.slice(at, s.start) + fresh;
    at = s.end;
  }
  return { text: out + text.slice(at), stale };
}

// ---------------------------------------------------------------------------------------------
// Formatting: one way to write each kind of number in the docs

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const usd = (n: number): string => `$${int(n)}`;
/** A fraction as a percentage with `d` decimals: pct(0.3605) = "36.1 %". */
const pct = (x: number, d = 1): string => `${(x * 100).toFixed(d)} %`;
const ms = (v: number): string => (v < 60_000 ? `${Math.round(v / 1000)} s` : `${Math.round(v / 60_000)} min`);
const table = (head: string[], align: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';

// ---------------------------------------------------------------------------------------------
// Runs of the built CLI (memoised: several sections quote one run)

type Json = any;
const runs = new Map<string, Promise<Json>>();
let scratch: string | undefined;

function cli(args: string[]): Promise<Json> {
  const key = args.join('\u0000');
  let p = runs.get(key);
  if (!p) {
    p = exec(process.execPath, [join(REPO, 'bin/llmcache.js'), ...args, '--json'], { cwd: REPO, maxBuffer: 1 << 30 }).then(({ stdout }) => JSON.parse(stdout));
    runs.set(key, p);
  }
  return p;
}

const sweep = (...args: string[]): Promise<Json> => cli(['sweep', ...args]);
const sweepRuns = async (...args: string[]): Promise<Json[]> => (await sweep(...args)).runs;
const find = (rs: Json[], params: Record<string, unknown>): Json => {
  const r = rs.find((x) => Object.entries(params).every(([k, v]) => x.params[k] === v));
  if (!r) throw new Error(`no sweep run with ${JSON.stringify(params)}`);
  return r;
};

const SEMANTIC_THRESHOLD = ['--scenario', 'scenarios/semantic.yaml', '--param', 'L3.threshold=0.80,0.85,0.90,0.95,0.99', '--max-false-hit', '1%', '--max-stale', '1%'];
const SEMANTIC_SCOPE = ['--scenario', 'scenarios/semantic.yaml', '--scenario', 'scenarios/semantic-unscoped.yaml', '--param', 'L3.threshold=0.92'];
const FRESH_TTL = ['--scenario', 'scenarios/freshness-velocity.yaml', '--by-class', 'response', '--param', 'L3.adaptiveTtl.exponent=0,1', '--param', 'L3.adaptiveTtl.maxFactor=1,4', '--param', 'invalidation=none,broadcast'];
const FRESH_REFRESH = ['--scenario', 'scenarios/freshness-velocity.yaml', '--by-class', 'response,market', '--param', 'L2.refreshOnHit=false,true', '--param', 'L3.refreshOnHit=false,true'];
const GRAN_BOTH = ['--scenario', 'scenarios/granularity-whole.yaml', '--scenario', 'scenarios/granularity-components.yaml', '--by-class', 'score', '--param', 'promptCache.ttl=off'];
const GRAN_TTL = ['--scenario', 'scenarios/granularity-components.yaml', '--param', 'L2.ttl.score_frs=900,86400', '--param', 'L2.ttl.score_pcs=900,86400', '--by-class', 'score', '--param', 'promptCache.ttl=off'];
const SEED_INVALIDATION = ['--scenario', 'scenarios/seed-article.yaml', '--param', 'invalidation=none,local,broadcast'];
const SEED_SIMPLE = ['--scenario', 'scenarios/seed-article.yaml', '--param', 'workload.retryRate=0', '--param', 'workload.marketLookupRate=0', '--param', 'workload.botsPerMessage.2=0', '--param', 'workload.botsPerMessage.3=0'];
const SEED_WORKERS = ['--scenario', 'scenarios/seed-article.yaml', '--param', 'workers.count=1,4,8'];
const SEED_STICKY = ['--scenario', 'scenarios/seed-article.yaml', '--param', 'workers.routing=sticky'];

/** The three bills of a simulate result, by part (USD per month). */
function billsTable(r: Json): string {
  const b = r.cost.bills;
  const row = (k: string, label: string): string[] => {
    const p = b[k].byPart;
    return [label, usd(p.inputUncached), usd(p.cacheWrite), usd(p.cacheRead), usd(p.output), `**${usd(b[k].monthlyUsd)}**`];
  };
  return table(['LLM bill per month', 'uncached input', 'cache write', 'cache read', 'output', 'total'], ['---', '---:', '---:', '---:', '---:', '---:'], [
    row('noCache', 'no caching'),
    row('promptCacheOnly', 'provider prompt caching only'),
    row('stack', 'L1/L2/L3 tiers + prompt caching'),
  ]);
}

const semHits = (r: Json): number => r.result.semantic?.hits ?? 0;
const tier = (r: Json, name: string): Json => r.result.tiers.find((t: Json) => t.name === name);
const ageP = (c: Json): string => (c.ageMs ? `${ms(c.ageMs.p50)} / ${ms(c.ageMs.p99)}` : 'n/a');
const byClass = (r: Json, cls: string): Json => r.classes[cls];

/** Every marked section: name → the text it holds. */
export const SECTIONS: Record<string, () => Promise<string>> = {
  'semantic-threshold': async () => {
    const out = await sweep(...SEMANTIC_THRESHOLD);
    const same = (a: Json, b: Json): boolean => b !== null && JSON.stringify(a.params) === JSON.stringify(b.params);
    return table(
      ['L3.threshold', 'USD/month', 'saved', 'semantic hits', 'false hits', 'false-hit rate', 'leaks', ''],
      ['---', '---:', '---:', '---:', '---:', '---:', '---:', '---'],
      out.runs.map((r: Json) => {
        const tag = [out.pareto.some((p: Json) => same(r, p)) ? 'Pareto' : '', same(r, out.recommended) ? '**recommended**' : ''].filter(Boolean).join(', ');
        return [r.params['L3.threshold'].toFixed(2), usd(r.result.cost.monthlyUsd), pct(r.result.cost.savingsPct / 100), int(semHits(r)), int(r.result.semantic.falseHits), pct(r.objectives.falseHitRate, 2), int(r.result.semantic.leaks), tag];
      }),
    );
  },
  'semantic-scope': async () => {
    const rs = await sweepRuns(...SEMANTIC_SCOPE);
    const [scoped, open] = [find(rs, { scenario: 'semantic' }), find(rs, { scenario: 'semantic-unscoped' })];
    const row = (r: Json, label: string, verdict: string, leaks: string): string[] => [label, usd(r.result.cost.monthlyUsd), pct(r.result.cost.savingsPct / 100), int(semHits(r)), leaks, verdict];
    return (
      table(['scenario', 'USD/month', 'saved', 'semantic hits', 'leaks', ''], ['---', '---:', '---:', '---:', '---:', '---'], [
        row(scoped, 'semantic (`scopeFilter: contact`)', 'recommended', int(scoped.result.semantic.leaks)),
        row(open, 'semantic-unscoped (`scopeFilter: none`)', 'never recommended', `**${int(open.result.semantic.leaks)}**`),
      ])
    );
  },
  'semantic-scope-summary': async () => {
    const rs = await sweepRuns(...SEMANTIC_SCOPE);
    const [scoped, open] = [find(rs, { scenario: 'semantic' }), find(rs, { scenario: 'semantic-unscoped' })];
    return (
      `Without the scope filter the bill looks ${pct(1 - open.result.cost.monthlyUsd / scoped.result.cost.monthlyUsd, 0)} cheaper — because ` +
      `${pct(open.result.semantic.leaks / semHits(open), 0)} of its semantic hits are other leads' answers (${int(open.result.semantic.leaks)} leaks).\n`
    );
  },
  'freshness-ttl': async () => {
    const rs = await sweepRuns(...FRESH_TTL);
    const rows: [string, number, number][] = [
      ['fixed 2 h', 0, 1],
      ['adaptive, shorten only (maxFactor 1)', 1, 1],
      ['adaptive, 0.25×–4×', 1, 4],
    ];
    const out: string[][] = [];
    for (const inv of ['none', 'broadcast'])
      for (const [label, exponent, maxFactor] of rows) {
        if (inv === 'broadcast' && exponent === 1 && maxFactor === 1) continue;
        const r = find(rs, { 'L3.adaptiveTtl.exponent': exponent, 'L3.adaptiveTtl.maxFactor': maxFactor, invalidation: inv });
        const c = byClass(r, 'response');
        out.push([label, inv, usd(r.result.cost.monthlyUsd), pct(c.workSaved), pct(c.staleRate, 2), ageP(c)]);
      }
    return table(['L3 TTL policy', 'invalidation', 'USD/month', 'response work saved', 'response stale', 'response age p50 / p99'], ['---', '---', '---:', '---:', '---:', '---:'], out);
  },
  'freshness-refresh': async () => {
    const rs = await sweepRuns(...FRESH_REFRESH);
    const label = (b: boolean): string => (b ? 'refresh-on-hit' : 'fixed');
    const rows = [false, true].flatMap((l2) =>
      [false, true].map((l3) => {
        const r = find(rs, { 'L2.refreshOnHit': l2, 'L3.refreshOnHit': l3 });
        const m = byClass(r, 'market');
        return [label(l2), label(l3), usd(r.result.cost.monthlyUsd), pct(m.workSaved), pct(m.staleRate, 2), ageP(m), pct(byClass(r, 'response').staleRate, 2)];
      }),
    );
    return table(['L2 (market)', 'L3 (response)', 'USD/month', 'market work saved', 'market stale', 'market age p50 / p99', 'response stale'], ['---', '---', '---:', '---:', '---:', '---:', '---:'], rows);
  },
  'freshness-summary': async () => {
    const rs = await sweepRuns(...FRESH_REFRESH);
    const [fixed, sliding] = [find(rs, { 'L2.refreshOnHit': false, 'L3.refreshOnHit': false }), find(rs, { 'L2.refreshOnHit': true, 'L3.refreshOnHit': false })];
    const ttl = await sweepRuns(...FRESH_TTL);
    const [none, broadcast] = [false, true].map((b) => find(ttl, { 'L3.adaptiveTtl.exponent': 0, 'L3.adaptiveTtl.maxFactor': 1, invalidation: b ? 'broadcast' : 'none' }));
    return (
      `Sliding the shared market key's expiry keeps it alive for ${ms(byClass(sliding, 'market').ageMs.p99)} at p99 across the market updates: ` +
      `stale market answers go from ${pct(byClass(fixed, 'market').staleRate, 1)} to ${pct(byClass(sliding, 'market').staleRate, 1)} ` +
      `to save ${usd(fixed.result.cost.monthlyUsd - sliding.result.cost.monthlyUsd)} a month. Invalidation on the state change (broadcast) ` +
      `removes the stale responses for ${usd(broadcast.result.cost.monthlyUsd - none.result.cost.monthlyUsd)} a month.\n`
    );
  },
  granularity: async () => {
    const both = await sweepRuns(...GRAN_BOTH);
    const ttl = await sweepRuns(...GRAN_TTL);
    const row = (r: Json, caching: string, ttlLabel: string): string[] => {
      const c = byClass(r, 'score');
      return [caching, ttlLabel, usd(r.result.cost.monthlyUsd), pct(r.result.hitRate), pct(c.workSaved), pct(c.staleRate, 0)];
    };
    const whole = find(both, { scenario: 'granularity-whole' });
    return (
      table(['caching', 'score TTL in L2', 'USD/month', 'hit rate (all requests)', 'score work served from cache', 'stale'], ['---', '---', '---:', '---:', '---:', '---:'], [
        row(whole, 'whole response (key: contact + message)', '15 min'),
        row(find(both, { scenario: 'granularity-components' }), 'components: FRS (contact + temperature), PCS (contact + day), intent signals (message)', '15 min each'),
        row(find(ttl, { 'L2.ttl.score_frs': 86400, 'L2.ttl.score_pcs': 900 }), 'components', 'FRS 24 h, PCS 15 min'),
        row(find(ttl, { 'L2.ttl.score_frs': 86400, 'L2.ttl.score_pcs': 86400 }), 'components', 'FRS and PCS 24 h'),
      ]) + `\n(Baseline without cache: ${usd(whole.result.cost.baselineMonthlyUsd)} a month. "Score work served from cache" = 1 − score spend / score spend without cache, the token-weighted effective hit rate of the score class.)\n`
    );
  },
  'granularity-summary': async () => {
    const both = await sweepRuns(...GRAN_BOTH);
    const [whole, parts] = [find(both, { scenario: 'granularity-whole' }), find(both, { scenario: 'granularity-components' })];
    const day = find(await sweepRuns(...GRAN_TTL), { 'L2.ttl.score_frs': 86400, 'L2.ttl.score_pcs': 86400 });
    const saved = (r: Json): string => pct(byClass(r, 'score').workSaved, 0);
    return (
      `The simulator gives **${saved(whole)} → ${saved(parts)}** for the score work (${pct(whole.result.hitRate, 0)} → ${pct(parts.result.hitRate, 0)} of all requests) ` +
      `with the article's 15-minute TTL, and ${saved(day)} when the slow components may live a day.\n`
    );
  },
  'seed-article': async () => {
    const seed = find(await sweepRuns(...SEED_INVALIDATION), { invalidation: 'local' }).result;
    const simple = (await sweepRuns(...SEED_SIMPLE))[0].result;
    const oneWorker = find(await sweepRuns(...SEED_WORKERS), { 'workers.count': 1 }).result;
    const perDay = seed.workload.messages / seed.workload.days;
    return table(['figure', 'simulator'], ['---', '---'], [
      ['requests in 30 days', `${int(seed.requests)} (${int(seed.llmRequests)} LLM ops, ${int(seed.memoryReads)} memory reads, ${int(seed.workload.messages)} messages ≈ ${int(perDay)}/day)`],
      ['baseline (no cache, same trace)', `**${usd(seed.cost.baselineMonthlyUsd)} / month** — above the article's range because 40 % of messages are handled by 2–3 bots and 5 % of calls are retried (ASSUMED); with one bot, no retries and no market lookups it is ${usd(simple.cost.baselineMonthlyUsd)}, inside the recomputed range`],
      ['with the L1/L2/L3 stack and the provider prompt cache (the real bill)', `**${usd(seed.cost.monthlyUsd)} / month, −${pct(seed.cost.savingsPct / 100)}** (LLM hit rate ${pct(seed.llmHitRate)}; ${usd(seed.cost.bills.promptCacheOnly.monthlyUsd)} with prompt caching alone)`],
      ['same, one bot, no retries, no market data', `${usd(simple.cost.monthlyUsd)} / month, −${pct(simple.cost.savingsPct / 100)} (only re-asked questions hit, through L3)`],
      ['memory reads by tier', `${pct(seed.memory.recent10.reads / seed.memoryReads)} / ${pct(seed.memory.recent100.reads / seed.memoryReads)} / ${pct(seed.memory.full.reads / seed.memoryReads)} requested (last 10 / last 100 / full history); L1 serves ${pct((seed.memory.recent10.servedBy.L1 ?? 0) / seed.memory.recent10.reads, 0)} of the last-10 reads with 4 round-robin workers (${pct((oneWorker.memory.recent10.servedBy.L1 ?? 0) / oneWorker.memory.recent10.reads, 0)} with 1 worker)`],
      ['end-to-end latency (virtual time)', `P50 ${seed.latencyMs.p50.toFixed(1)} ms, P99 ${int(seed.latencyMs.p99)} ms (misses pay the model's latency)`],
    ]);
  },
  'seed-invalidation': async () => {
    const rs = await sweepRuns(...SEED_INVALIDATION);
    const label: Record<string, string> = { none: '`none` (TTL only)', local: '`local` (the bug)', broadcast: '`broadcast` (Redis pub/sub to every worker)' };
    const out = ['none', 'local', 'broadcast'].map((inv) => {
      const r = find(rs, { invalidation: inv }).result;
      const l1 = r.tiers.find((t: Json) => t.name === 'L1').byOp.score.staleHits;
      const all = r.staleness.byOp.score.staleHits;
      const bold = (s: string): string => (inv === 'broadcast' ? `**${s}**` : s);
      return [label[inv]!, bold(int(l1)) + (all !== l1 ? ` (${int(all)} in all tiers)` : ''), bold(int(r.staleness.byOp.market.staleHits)), usd(r.cost.monthlyUsd)];
    });
    return table(['`llmcache simulate --invalidation …` (seed article, 4 round-robin workers)', 'stale score hits in L1', 'stale market hits', 'monthly spend'], ['---', '---:', '---:', '---:'], out);
  },
  'seed-invalidation-summary': async () => {
    const rs = await sweepRuns(...SEED_INVALIDATION);
    const [none, local, broadcast] = ['none', 'local', 'broadcast'].map((inv) => find(rs, { invalidation: inv }).result);
    const cents = Math.round((broadcast.cost.monthlyUsd - local.cost.monthlyUsd) * 100);
    const staleValues = none.staleness.byOp.score.staleHits + none.staleness.byOp.market.staleHits;
    return (
      `Broadcast removes the stale scores and costs ${cents} cent${cents === 1 ? '' : 's'} a month more than \`local\`; TTL-only is ` +
      `${usd(local.cost.monthlyUsd - none.cost.monthlyUsd)} a month cheaper because it serves ${int(staleValues)} stale scores and market answers.\n`
    );
  },
  'seed-workers': async () => {
    const rs = await sweepRuns(...SEED_WORKERS);
    const sticky = (await sweepRuns(...SEED_STICKY))[0];
    const row = (r: Json, label: string): string[] => {
      const m = r.result.staleness.byOp.memory;
      return [label, pct(tier(r, 'L1').share), pct(tier(r, 'L2').share), pct(m.staleHits / r.result.memoryReads, 0)];
    };
    return table(['`--workers` (round-robin)', 'L1 share', 'L2 share', 'stale conversation windows (of all memory reads)'], ['---', '---:', '---:', '---:'], [
      ...[1, 4, 8].map((w) => row(find(rs, { 'workers.count': w }), String(w))),
      row(sticky, '4, `--routing sticky`'),
    ]);
  },
  'bills-seed': async () => billsTable(await cli(['simulate', '--scenario', 'scenarios/seed-article.yaml'])),
  'bills-imported': async () => {
    scratch ??= mkdtempSync(join(tmpdir(), 'llmcache-figures-'));
    const file = join(scratch, 'mooncake-20k.jsonl');
    const { writeMooncakeTrace } = await import('../src/trace/mooncake-synth.js');
    await writeMooncakeTrace(file, 20_000, 42);
    const r = await cli(['simulate', '--trace', file, '--model', 'claude-sonnet-4-5']);
    const p = r.promptCache;
    return (
      billsTable(r) +
      `\n${int(r.requests)} requests over ${ms(r.cost.windowDays * 86_400_000)} of trace time, projected to a month; none has a key, so the tiers serve none ` +
      `(the last two bills are equal). The prompt cache read ${pct(p.tokenHitRate)} of the input tokens (block hit rate ${pct(p.blockHitRate)}).\n`
    );
  },
  'trace-depth-mix': async () => {
    scratch ??= mkdtempSync(join(tmpdir(), 'llmcache-figures-'));
    const file = join(scratch, 'seed.jsonl.gz');
    await exec(process.execPath, [join(REPO, 'bin/llmcache.js'), 'trace', 'generate', '--leads', '500', '--seed', '42', '-o', file, '--force'], { cwd: REPO });
    const s = await cli(['trace', 'stats', file]);
    const mix = s.accessDepth;
    if (!mix) throw new Error('trace stats --json has no accessDepth');
    const f = (k: string): string => (mix[k] * 100).toFixed(2);
    return `  On a generated 500-lead trace (\`llmcache trace generate --leads 500 --seed 42\`) it recovers the configured 74.2 / 14.1 / 11.7 % mix as\n  ${f('recent10')} / ${f('recent100')} / ${f('full')} %.\n  `;
  },
};

// ---------------------------------------------------------------------------------------------

export function documents(root: string): string[] {
  const docs = join(root, 'docs');
  return [join(root, 'README.md'), ...readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => join(docs, f))];
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const rootAt = argv.indexOf('--root');
  const root = rootAt >= 0 ? resolve(argv[rootAt + 1]!) : REPO;
  const files = documents(root).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const used = new Set(files.flatMap((f) => findSections(f.text, f.path).map((s) => s.name)));
  const unknown = [...used].filter((n) => !(n in SECTIONS));
  if (unknown.length > 0) throw new Error(`unknown figures section(s): ${unknown.join(', ')}`);
  const generated: Record<string, string> = {};
  try {
    // All at once: the runs are separate processes, and sections that quote one run share it.
    const names = [...used];
    const texts = await Promise.all(names.map((name) => SECTIONS[name]!()));
    names.forEach((name, i) => (generated[name] = texts[i]!));
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const stale: string[] = [];
  for (const f of files) {
    const r = rewriteSections(f.text, generated, f.path);
    for (const n of r.stale) stale.push(`${relative(root, f.path)}: ${n}`);
    if (!check && r.text !== f.text) writeFileSync(f.path, r.text);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`docs:figures: ${stale.length} stale section(s), run \`npm run docs:figures\` and commit:\n  ${stale.join('\n  ')}\n`);
    return 1;
  }
  process.stderr.write(`docs:figures: ${used.size} section(s) ${check ? 'up to date' : stale.length > 0 ? `rewritten (${stale.join('; ')})` : 'already up to date'}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`docs:figures: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}

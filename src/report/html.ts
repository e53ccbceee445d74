/**
 * The HTML report: ONE self-contained page (inline CSS, inline SVG, no script, no external
 * resource) for a simulate or a bench result. Every text that comes from a scenario or a trace is
 * escaped. Pure: (result) => string.
 */
import type { AnyResult, BenchResult, SimulateResult } from '../model/results.js';
import { page } from './html-kit.js';
import { simulateBody } from './html-simulate.js';
import { benchBody } from './html-bench.js';

type Renderer = (r: AnyResult) => { title: string; body: string };

const BODIES = new Map<string, Renderer>([
  ['simulate', (r) => ({ title: `llmcache simulate: ${r.scenario.name}`, body: simulateBody(r as SimulateResult) })],
  ['bench', (r) => ({ title: `llmcache bench: ${r.scenario.name}`, body: benchBody(r as BenchResult) })],
]);

/** Render a simulate or bench result as one self-contained HTML page. */
export function renderHtml(r: AnyResult): string {
  const render = BODIES.get(r.kind);
  if (!render) throw new Error(`no HTML renderer for result kind ${JSON.stringify(r.kind)}`);
  const { title, body } = render(r);
  return page(title, body, r.schema);
}

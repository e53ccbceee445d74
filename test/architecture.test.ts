/**
 * The layers of docs/architecture.md hold: dependency-cruiser checks every import of src/ against
 * .dependency-cruiser.cjs (no import upward, engines and commands independent, no module cycle),
 * and no two folders of src/ import each other (a folder-level cycle).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  modules: { source: string; dependencies: { resolved: string; coreModule: boolean; couldNotResolve: boolean }[] }[];
}

/** Folder-level cycles that are known and owned elsewhere: none. A new one fails the test. */
const KNOWN_FOLDER_CYCLES: string[][] = [];

const cruise = (): Cruise =>
  JSON.parse(
    execFileSync(process.execPath, ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }),
  );

/** `src/sim/engine.ts` -> `sim`; `src/config.ts` -> `config.ts`. */
const folderOf = (file: string) => file.replace(/^src\//, '').split('/')[0]!;

/** Strongly connected sets of folders with more than one member (Tarjan). */
function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('imports follow the layers (dependency-cruiser, .dependency-cruiser.cjs), and no folders of src/ import each other', () => {
  const result = cruise();
  assert.deepEqual(
    result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`),
    [],
  );
  const edges = new Map<string, Set<string>>();
  for (const m of result.modules) {
    if (!m.source.startsWith('src/')) continue;
    for (const d of m.dependencies) {
      if (d.coreModule || d.couldNotResolve || !d.resolved.startsWith('src/')) continue;
      const [a, b] = [folderOf(m.source), folderOf(d.resolved)];
      if (a !== b) (edges.get(a) ?? edges.set(a, new Set()).get(a)!).add(b);
    }
  }
  assert.ok(edges.size > 10, 'the cruise saw the project');
  assert.deepEqual(folderCycles(edges), KNOWN_FOLDER_CYCLES);
});

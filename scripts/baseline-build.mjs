// Build an earlier commit of this repository once, in a folder of its own under the OS temp dir
// (git archive + npm ci + tsc), for the side-by-side benchmarks (bench-sim-baseline, bench-replay).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Build `ref` of the repository at `root` (cached by commit); returns { dir, sha }. */
export function buildBaseline(root, ref) {
  const sha = execFileSync('git', ['-C', root, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `llmcache-baseline-${sha.slice(0, 12)}`);
  if (existsSync(join(dir, 'dist/cli.js'))) return { dir, sha };
  console.error(`building baseline ${sha.slice(0, 12)} in ${dir} (once; later runs reuse it) ...`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', sha], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, stdio: 'inherit' });
  return { dir, sha };
}

/**
 * scripts/ci-gate.sh against a stand-in for the CLI (LLMCACHE), so its own logic is tested fast:
 * a gate that compared nothing must fail the build, and a failing bench must leave its stderr in
 * the log (printed and kept) instead of deleting it with the temp folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-ci-gate-');
// simulate/bench write a result to --out; gate reports $FIGURES figures compared, or a difference
// when a file carries the negative control's changed figure, or refuses bench vs simulate.
const fake = tmp.file(
  'fake-llmcache.sh',
  `#!/usr/bin/env bash
cmd=$1; shift
out=; prev=
for a in "$@"; do [ "$prev" = --out ] && out=$a; prev=$a; done
case $cmd in
  simulate) echo '{"llmCalls":1}' > "$out" ;;
  bench)
    echo "bench: trial 1/1" >&2
    if [ "$FAKE" = bench-fails ]; then echo "Redis at redis://127.0.0.1:6390 is not reachable (ECONNREFUSED)" >&2; exit 2; fi
    echo '{"kind":"bench"}' > "$out" ;;
  gate)
    if [[ "$*" == *bench-* && "$*" == *sim-* ]]; then echo "cannot compare a bench result with a simulate result" >&2; exit 2; fi
    for f in "$@"; do if [ -f "$f" ] && grep -q '"llmCalls":2' "$f"; then echo "llmCalls 1 2"; exit 1; fi; done
    echo "$FIGURES deterministic figures compared, 0 differ" ;;
esac
`,
);
chmodSync(fake, 0o755);

function ciGate(env: Record<string, string>) {
  const log = join(tmp.dir, `kept-${Object.values(env).join('-')}.log`);
  const r = spawnSync('bash', ['scripts/ci-gate.sh'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LLMCACHE: fake, CI_GATE_LOG: log, ...env } });
  return { code: r.status, err: r.stderr, log };
}

test('ci-gate passes when the gates compared figures and none differ (the stand-in is faithful)', () => {
  const r = ciGate({ FIGURES: '161' });
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /ci-gate: ok/);
  assert.equal(existsSync(r.log), false, 'no log kept when nothing failed');
});

test('ci-gate fails when the gate compared no deterministic figure ("0 compared, 0 differ" is not a pass)', () => {
  const r = ciGate({ FIGURES: '0' });
  assert.notEqual(r.code, 0);
  assert.match(r.err, /compared no deterministic figure/);
});

test('a failing bench: its stderr is printed and kept, not deleted with the temp folder', () => {
  const r = ciGate({ FIGURES: '161', FAKE: 'bench-fails' });
  assert.notEqual(r.code, 0);
  assert.match(r.err, /bench stderr \(kept in .*\):\n[\s\S]*Redis at redis:\/\/127\.0\.0\.1:6390 is not reachable/);
  assert.match(readFileSync(r.log, 'utf8'), /Redis at redis:\/\/127\.0\.0\.1:6390 is not reachable/);
});

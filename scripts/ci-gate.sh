#!/usr/bin/env bash
# The gate flow of this project's own CI, built so it cannot flake:
#   1. simulate twice under a fixed seed; `gate` compares every figure exactly and must pass;
#   2. negative controls: a changed figure must fail (exit 1), a bench result against a simulate
#      result must be refused (exit 2);
#   3. a short bench A vs A (the same code twice), interleaved run by run and pooled, gated with
#      --latency-warn-only: hit/miss counts (deterministic at concurrency 1, same seed) must match
#      exactly; latency is reported, never fails the build.
# A comparison of nothing ("0 deterministic figures compared") fails. On any failure the bench
# stderr is printed and kept in $CI_GATE_LOG (default results/ci-gate-bench.log) to explain it.
# Needs the build (npm run build) and Redis on $REDIS_URL (default redis://127.0.0.1:6379).
# LLMCACHE overrides the command under test (default: node bin/llmcache.js).
set -euo pipefail
cd "$(dirname "$0")/.."
log_keep=${CI_GATE_LOG:-results/ci-gate-bench.log}
if [ -z "${LLMCACHE:-}" ]; then [ -f dist/cli.js ] || npm run build >&2; fi
llmcache() { ${LLMCACHE:-node bin/llmcache.js} "$@"; }
tmp=$(mktemp -d)
: > "$tmp/bench.log"
finish() {
  local code=$?
  if [ "$code" -ne 0 ] && [ -s "$tmp/bench.log" ]; then
    mkdir -p "$(dirname "$log_keep")" && cp "$tmp/bench.log" "$log_keep"
    echo "ci-gate: failed (exit $code); bench stderr (kept in $log_keep):" >&2
    cat "$tmp/bench.log" >&2
  fi
  rm -rf "$tmp"
}
trap finish EXIT
expect() { # expect CODE command...: run, require that exit code
  local want=$1; shift
  set +e; "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"; local got=$?; set -e
  if [ "$got" -ne "$want" ]; then
    echo "ci-gate: expected exit $want, got $got from: $*" >&2; cat "$tmp/out.txt" "$tmp/err.txt" >&2; exit 1
  fi
}
compared_something() { # the gate compared at least one figure and none differ
  if ! grep -Eq '^[1-9][0-9,]* deterministic figures compared( exactly)?, 0 differ\.?$' "$tmp/out.txt"; then
    echo "ci-gate: the gate compared no deterministic figure (or some differ): a comparison of nothing must not pass" >&2
    cat "$tmp/out.txt" >&2; exit 1
  fi
}

echo "ci-gate: simulate twice, seed 42, exact gate" >&2
for side in a b; do llmcache simulate --scenario scenarios/small.yaml --seed 42 --out "$tmp/sim-$side.json" > /dev/null; done
expect 0 llmcache gate --baseline "$tmp/sim-a.json" --current "$tmp/sim-b.json"
cat "$tmp/out.txt"
compared_something

echo "ci-gate: negative control, one figure changed -> exit 1" >&2
node -e 'const f=process.argv[1],r=JSON.parse(require("fs").readFileSync(f,"utf8"));r.llmCalls+=1;require("fs").writeFileSync(f,JSON.stringify(r))' "$tmp/sim-b.json"
expect 1 llmcache gate --baseline "$tmp/sim-a.json" --current "$tmp/sim-b.json"
grep -q 'llmCalls' "$tmp/out.txt"

echo "ci-gate: bench A vs A, interleaved runs (a 3, b 3, a 2, b 2 trials) pooled to 5 trials a side" >&2
for run in 1:3 2:2; do
  for side in a b; do
    echo "== bench side $side, run ${run%:*}" >> "$tmp/bench.log"
    llmcache bench --scenario scenarios/small.yaml --seed 1 --trials "${run#*:}" --requests 300 --warmup 50 \
      --llm-time-scale 0 --out "$tmp/bench-$side-${run%:*}.json" > /dev/null 2>> "$tmp/bench.log"
  done
done
expect 0 llmcache gate --baseline "$tmp"/bench-a-*.json --current "$tmp"/bench-b-*.json --latency-warn-only
cat "$tmp/out.txt"
compared_something

echo "ci-gate: negative control, bench vs simulate -> exit 2" >&2
expect 2 llmcache gate --baseline "$tmp"/bench-a-*.json --current "$tmp/sim-a.json"
grep -q 'cannot compare a bench result' "$tmp/err.txt"
echo "ci-gate: ok" >&2

#!/usr/bin/env bash
# `npm test`: the static checks (scripts/checks.sh) and the test suite side by side. The suite
# spends much of its time waiting on worker processes and timers, so the checks fill idle cores
# instead of adding half a minute in front of it. The exit code is 1 when either failed; the
# checks' output follows the suite's.
set -uo pipefail
cd "$(dirname "$0")/.."
checks_log=$(mktemp)
trap 'rm -f "$checks_log"' EXIT
scripts/checks.sh >"$checks_log" 2>&1 &
checks=$!
npx vitest run "$@"
suite=$?
wait "$checks"
checked=$?
echo "== static checks (generated code, query code, types, lint, import directions)"
cat "$checks_log"
[ "$checked" = 0 ] && echo "static checks: passed" || echo "static checks: FAILED"
[ "$suite" = 0 ] && [ "$checked" = 0 ]

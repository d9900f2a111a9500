#!/usr/bin/env bash
# The static checks of `npm test`, two at a time (they are single-threaded; the machine has 2
# cores): generated code and query code current, types, lint, import directions. Each check's
# output is printed whole, in order; the exit code is 1 when any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
checks=("gen -- --check" "sql -- --check" "typecheck" "lint" "lint:arch")
run() { npm run -s $1 >"$out/$2.log" 2>&1; echo $? >"$out/$2.rc"; }
# Lint is the longest: it starts first, the others share the second core.
run "lint" 3 &
lint=$!
for i in 0 1 2 4; do run "${checks[$i]}" "$i"; done
wait "$lint"
failed=0
for i in "${!checks[@]}"; do
  rc=$(cat "$out/$i.rc")
  if [ "$rc" != 0 ]; then failed=1; echo "npm run ${checks[$i]}: failed (exit $rc)"; fi
  cat "$out/$i.log"
done
exit $failed

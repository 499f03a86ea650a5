#!/usr/bin/env bash
# buf lint, then buf breaking (wire and JSON compatibility) against main:
# on a branch, against where it left main; on main itself, against the
# commit before, so the change being landed is the one checked.
set -euo pipefail
cd "$(dirname "$0")/.."
buf=node_modules/.bin/buf
[ -x "$buf" ] || { echo "check-proto: $buf missing; run npm ci" >&2; exit 1; }
"$buf" lint
base=""
for ref in origin/main main; do
  git rev-parse -q --verify "$ref^{commit}" >/dev/null || continue
  base=$(git merge-base HEAD "$ref")
  break
done
if [ -z "$base" ]; then
  [ "${CI:-}" = true ] && { echo "check-proto: no main branch to compare against" >&2; exit 1; }
  echo "check-proto: no main branch here; breaking check skipped (not under CI)"
  exit 0
fi
if [ "$base" = "$(git rev-parse HEAD)" ]; then
  if ! git rev-parse -q --verify 'HEAD^' >/dev/null; then
    [ "${CI:-}" = true ] && { echo "check-proto: HEAD has no parent (shallow clone?); clone with history" >&2; exit 1; }
    echo "check-proto: HEAD has no parent; breaking check skipped (not under CI)"
    exit 0
  fi
  base=$(git rev-parse 'HEAD^')
fi
"$buf" breaking --against ".git#ref=$base,subdir=proto"
echo "check-proto: lint clean; no wire/JSON break against ${base:0:12}"

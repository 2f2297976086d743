#!/usr/bin/env bash
# The whole test suite: typecheck, unit, integration (real engine, real nodes), lessons, end to end (real Chromium).
# The tiers run one after another: the Docker-backed ones share two cores and one engine.
# Extra arguments go to every vitest run (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-host.sh --with-browser
npx tsx scripts/build-client.ts
echo "[test] typecheck"
npx tsc --noEmit -p .
export WORKSHOP_INSTANCE="${WORKSHOP_INSTANCE:-test}"
for tier in unit integration lessons e2e; do
  echo "[test] $tier"
  npx vitest run --project "$tier" "$@"
done

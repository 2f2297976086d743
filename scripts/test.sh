#!/usr/bin/env bash
# The whole test suite: typecheck, unit, integration (real engine, real nodes), lessons, end to end (real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-host.sh
command -v chromium >/dev/null || { printf '[prepare] installing chromium for the browser tests\n'; apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
npx tsx scripts/build-client.ts
npx tsc --noEmit -p .
export WORKSHOP_INSTANCE="${WORKSHOP_INSTANCE:-test}"
npx vitest run "$@"

#!/usr/bin/env bash
# One command to run the workshop server: prepares the engine and images, then serves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare-host.sh
npx tsx scripts/build-client.ts
exec npx tsx server/main.ts "$@"

#!/usr/bin/env bash
# Loads the demo data into the running platform (idempotent: run it again and nothing is doubled).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
SWC_NODE_PROJECT="$repo/tsconfig.base.json" node -r @swc-node/register deploy/local/seed-demo.ts

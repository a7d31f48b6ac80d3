#!/usr/bin/env bash
# CI: the production deploy builds. `wrangler deploy --dry-run --env production` bundles the
# Worker and validates wrangler.toml's [env.production] without network or credentials
# (checked with a broken proxy and an empty HOME), then the bundle must fit Workers' 3 MiB
# gzip limit (free plan), and within our own budget: start-up time grows with the bundle, and
# the budget catches a large table or library coming back in (README "Benchmarks", bundle
# line: what moved out and how). Raise it knowingly, in the same commit as the reason.
# 230 KiB: lowered from 256 when the phone metadata, the OpenAPI document (and its generator)
# and the console's stylesheet became static assets (228.2 KiB by this gzip -9). 232 KiB: the
# verified-email outbox, the verified-token memo and the limiter's alarm logic brought it to
# 229.97 KiB, too close to 230 for ordinary fixes.
# Usage: npm run check:deploy
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx wrangler deploy --dry-run --env production --outdir "$out" > "$out/log.txt" 2>&1 || { cat "$out/log.txt"; exit 1; }
grep -q -- '--dry-run: exiting now.' "$out/log.txt" || { cat "$out/log.txt"; echo "check:deploy: wrangler did not finish the dry run"; exit 1; }
[ -s "$out/index.js" ] || { echo "check:deploy: no bundle in $out"; exit 1; }
gzip_bytes=$(gzip -9 -c "$out/index.js" | wc -c)
limit=$((3 * 1024 * 1024))
budget=$((232 * 1024))
echo "check:deploy: ok, bundle $(wc -c < "$out/index.js") bytes, gzip $gzip_bytes bytes (budget $budget, limit $limit)"
[ "$gzip_bytes" -le "$limit" ] || { echo "check:deploy: bundle over the 3 MiB gzip limit"; exit 1; }
[ "$gzip_bytes" -le "$budget" ] || { echo "check:deploy: bundle over its 232 KiB gzip budget (gzip -9)"; exit 1; }

#!/usr/bin/env bash
# Runs a command with a hostile `.dev.vars` (and `.env`) in place, then puts back whatever
# was there: the tests must pass anyway, because they never read either (vitest.config.ts).
# Usage: scripts/hostile-dev-vars.sh npm test
set -euo pipefail
cd "$(dirname "$0")/.."
backup=$(mktemp -d)
for f in .dev.vars .env; do [ -e "$f" ] && mv "$f" "$backup/$f"; done
restore() {
  rm -f .dev.vars .env
  for f in .dev.vars .env; do [ -e "$backup/$f" ] && mv "$backup/$f" "$f"; done
  rmdir "$backup"
}
trap restore EXIT
cat > .dev.vars <<'VARS'
HOSTILE_MARKER=read-from-dev-vars
ENVIRONMENT=production
PUBLIC_URL=http://hostile.invalid:1
MAIL_TRANSPORT=http
JWT_PRIVATE_JWKS=not-json
MFA_ENCRYPTION_KEY=short
AUDIT_HASH_KEY=short
TURNSTILE_SECRET=1x0000000000000000000000000000000AA
REQUIRE_ADMIN_MFA=true
LIMIT_REGISTER=1/86400
LIMIT_ANONYMOUS=1/86400
LIMIT_OTP_REQUEST=1000/60
TTL_CODE=1
TTL_ACCESS_TOKEN=1
VARS
sed 's/dev-vars/dot-env/' .dev.vars > .env
"$@"

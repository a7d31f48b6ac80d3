/**
 * npm run keys                      new JWT_PRIVATE_JWKS, MFA_ENCRYPTION_KEY and AUDIT_HASH_KEY
 * npm run keys -- --rotate < current-jwks.json [--keep 1]   a new signing key before the current ones
 * npm run keys -- --env ''          lines without --env (the top-level worker)
 *
 * Prints `wrangler secret put` lines to paste into a shell (stdout only: nothing is written
 * to disk, least of all the repository). Cloudflare never shows a secret again, so keep the
 * JWKS in your password manager: rotation needs the current one. README "Deploying".
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSecrets, rotateJwks, secretPutLines } from './secrets';

const { values } = parseArgs({
  options: {
    rotate: { type: 'boolean', default: false },
    keep: { type: 'string', default: '1' },
    env: { type: 'string', default: 'production' },
  },
});

const keep = Number(values.keep);
if (!Number.isInteger(keep) || keep < 1) {
  console.error('--keep must be a whole number of previous keys to keep (at least 1)');
  process.exit(2);
}

if (values.rotate) {
  if (process.stdin.isTTY) {
    console.error('usage: npm run keys -- --rotate < current-jwks.json   (the JWT_PRIVATE_JWKS now deployed)');
    process.exit(2);
  }
  try {
    const rotated = await rotateJwks(readFileSync(0, 'utf8'), keep);
    console.log('# New signing key first; the previous one keeps verifying. Drop it after TTL_REFRESH_TOKEN (7 days) with another rotation.');
    console.log(secretPutLines({ JWT_PRIVATE_JWKS: rotated }, values.env).join('\n'));
  } catch (err) {
    console.error(`npm run keys -- --rotate: ${(err as Error).message}`);
    process.exit(1);
  }
} else {
  console.log('# Paste into a shell, then keep the JWKS in a password manager (rotation needs it). Never commit these.');
  console.log(secretPutLines(await generateSecrets(), values.env).join('\n'));
}

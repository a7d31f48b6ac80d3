// Costs of single operations, measured inside workerd with the app's own code: once a
// test (tokens.cost, a PBKDF2 timing) that made the suite slower and asserted little.
//   /tokens?alg=EdDSA|ES256  one access-token sign and verify, keys cached; and the first
//                            sign after the key secret changed (parse + import + self-check)
//   /pbkdf2                  the pure-JS PBKDF2-SHA256 used for imported Django hashes above
//                            WebCrypto's 100,000-iteration limit, at Django's defaults
//   /django-hashes           one login's password check for each Django hash kind, with the
//                            hashes real Django wrote (test/fixtures/django/dump.json)
//   /hash-schemes            one hash at each of OWASP's equal-strength scrypt settings and
//                            argon2id at 19 MiB, t=2 (pure JS, @noble/hashes): which is cheapest
import { exportJWK, generateKeyPair } from 'jose';
import { signAccessToken, verifyAccessToken } from '../../../src/tokens';
import { utf8 } from '../../../src/password/hashing/bytes';
import { pbkdf2Sha256Js } from '../../../src/password/hashing/pbkdf2';
import { pbkdf2Sha1Js } from '../../../src/password/hashing/pbkdf2-sha1';
import { hashPassword, verifyPassword } from '../../../src/password/hashing/hash';
import { scrypt } from 'node:crypto';
import { argon2id } from '@noble/hashes/argon2.js';
import djangoDump from '../../../test/fixtures/django/dump.json';
import djangoPasswords from '../../../test/fixtures/django/passwords.json';

const SUBJECT = { sub: 'user-1', sid: 'session-1', role: 'user', email_verified: true };
const TOKEN_ROUNDS = 300;
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

/**
 * Mean ms per run. workerd advances its clock only on I/O (a Spectre mitigation), so the
 * measurement is fenced by a KV read on each side.
 */
async function timed(env, rounds, run) {
  await env.FENCE.get('fence');
  const start = Date.now();
  for (let i = 0; i < rounds; i++) await run();
  await env.FENCE.get('fence');
  return (Date.now() - start) / rounds;
}

async function tokenCosts(env, alg) {
  const { privateKey } = alg === 'EdDSA' ? await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }) : await generateKeyPair('ES256', { extractable: true });
  const e = { ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'k', alg }] }) };
  const now = Date.now();
  const token = await signAccessToken(e, SUBJECT, now); // imports and caches the keys
  const signMs = await timed(env, TOKEN_ROUNDS, () => signAccessToken(e, SUBJECT, now));
  const verifyMs = await timed(env, TOKEN_ROUNDS, () => verifyAccessToken(e, token, now));
  // Cold: a secret text not seen before, so parse + import + self-check happen first.
  let n = 0;
  const coldSignMs = await timed(env, TOKEN_ROUNDS, () => signAccessToken({ ...e, JWT_PRIVATE_JWKS: e.JWT_PRIVATE_JWKS.replace('{', `{${' '.repeat(++n)}`) }, SUBJECT, now));
  return { alg, rounds: TOKEN_ROUNDS, signMs, verifyMs, coldSignMs };
}

async function pbkdf2Costs(env) {
  pbkdf2Sha256Js(utf8('warm'), utf8('up'), 10_000, 32);
  const rows = [];
  for (const iterations of [870_000, 1_000_000]) {
    rows.push({ iterations, ms: await timed(env, 1, () => pbkdf2Sha256Js(utf8('correct horse battery staple'), utf8('Ua1cq8XkSjy2VbHUy6bjSz'), iterations, 32)) });
  }
  return rows;
}

/** verifyPassword as a login runs it, for the hash each fixture user has (plus the current scrypt and SHA-1 at 1M). */
async function djangoHashCosts(env) {
  const users = djangoDump.filter((row) => row.model === 'accounts.user');
  const hashOf = (username) => users.find((row) => row.fields.username === username).fields.password;
  const rows = [];
  for (const username of ['ada', 'ben', 'cleo', 'dan', 'eve', 'finn', 'gus', 'hana']) {
    const stored = hashOf(username);
    const kind = stored.split('$').slice(0, stored.startsWith('argon2') ? 4 : 2).join('$');
    await verifyPassword(djangoPasswords[username], stored); // warm-up (JIT)
    const ms = await timed(env, 3, async () => {
      if (!(await verifyPassword(djangoPasswords[username], stored)).ok) throw new Error(`${username} did not verify`);
    });
    rows.push({ kind, ms });
  }
  rows.push({ kind: 'pbkdf2_sha1$1000000 (pure JS)', ms: await timed(env, 3, () => pbkdf2Sha1Js(utf8('pw'), utf8('salt'), 1_000_000, 20)) });
  const current = await hashPassword('current-scheme-password');
  rows.push({ kind: 'unusable (!…), costs a current hash', ms: await timed(env, 3, () => verifyPassword('x', hashOf('ivy'))) });
  rows.push({ kind: 'scrypt (current scheme, the upgrade target)', ms: await timed(env, 3, () => verifyPassword('current-scheme-password', current)) });
  return rows;
}

/**
 * OWASP's password storage cheat sheet lists these as equally strong (memory x passes); the
 * app uses N=2^14, r=8, p=5. argon2id is OWASP's first choice, here without native code.
 */
const SCRYPT_SETTINGS = [
  { N: 2 ** 13, r: 8, p: 10 },
  { N: 2 ** 14, r: 8, p: 5 },
  { N: 2 ** 15, r: 8, p: 3 },
  { N: 2 ** 16, r: 8, p: 2 },
];

const scryptOnce = ({ N, r, p }) =>
  new Promise((resolve, reject) =>
    scrypt('correct horse battery staple', 'Ua1cq8XkSjy2VbHU', 32, { N, r, p, maxmem: 160 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );

async function hashSchemeCosts(env) {
  const rows = [];
  for (const setting of SCRYPT_SETTINGS) {
    await scryptOnce(setting);
    const mib = (128 * setting.r * (setting.N + setting.p + 1)) / 2 ** 20;
    rows.push({ scheme: `scrypt N=2^${Math.log2(setting.N)} r=${setting.r} p=${setting.p} (${Math.round(mib)} MiB)`, ms: await timed(env, 3, () => scryptOnce(setting)) });
  }
  const argon = () => argon2id('correct horse battery staple', 'Ua1cq8XkSjy2VbHU', { t: 2, m: 19 * 1024, p: 1, dkLen: 32 });
  argon();
  rows.push({ scheme: 'argon2id m=19 MiB t=2 p=1 (pure JS)', ms: await timed(env, 2, async () => argon()) });
  return rows;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/tokens') return json(await tokenCosts(env, url.searchParams.get('alg') === 'ES256' ? 'ES256' : 'EdDSA'));
    if (url.pathname === '/pbkdf2') return json(await pbkdf2Costs(env));
    if (url.pathname === '/django-hashes') return json(await djangoHashCosts(env));
    if (url.pathname === '/hash-schemes') return json(await hashSchemeCosts(env));
    return json({ error: 'not_found' }, 404);
  },
};

// The floors: the fastest this runtime answers, as bare Workers beside the app.
//   /constant  a constant JSON body: HTTP + runtime overhead and nothing else.
//   /jwt       verifies the caller's access token (EdDSA at+jwt, jose) and nothing else:
//              the least any authenticated route can do.
//   /hash      verifies one password against a stored hash with the app's own code:
//              the least any password login can do.
import { importJWK, jwtVerify } from 'jose';
import { verifyPassword } from '../../../src/password/hashing/hash';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const CONSTANT = JSON.stringify({ status: 'ok' });

// Imported once per isolate, as the app caches its key set.
let publicKey;
const getKey = (env) => (publicKey ??= importJWK(JSON.parse(env.FLOOR_JWK), 'EdDSA'));

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });

async function verifyBearer(request, env) {
  const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!token) return json({ error: 'unauthorized' }, 401);
  try {
    const { payload } = await jwtVerify(token, await getKey(env), {
      algorithms: ['EdDSA'],
      typ: 'at+jwt',
      issuer: env.FLOOR_ISSUER,
      audience: env.FLOOR_AUDIENCE,
      requiredClaims: ['iss', 'aud', 'sub', 'sid', 'jti', 'iat', 'exp', 'role', 'email_verified'],
    });
    return json({ sub: payload.sub });
  } catch {
    return json({ error: 'unauthorized' }, 401);
  }
}

async function verifyOnePassword(request, env) {
  const { password } = await request.json();
  const result = await verifyPassword(password, env.FLOOR_PASSWORD_HASH);
  return json({ ok: result.ok }, result.ok ? 200 : 401);
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/constant') return new Response(CONSTANT, { headers: JSON_HEADERS });
    if (pathname === '/jwt') return verifyBearer(request, env);
    if (pathname === '/hash') return verifyOnePassword(request, env);
    return json({ error: 'not_found' }, 404);
  },
};

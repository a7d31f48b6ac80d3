import { beforeAll, describe, expect, it } from 'vitest';
import { randomIp } from './helpers/api';
import { appRoutes, checkOne, describeRequest, errorCode, fc, fcSettings, isHtmlSurface, label, seedCast, takesBody, type Answer, type Cast, type Route } from './helpers/robustness';
import { HOSTILE_AUTHORIZATION } from './helpers/robustness-tokens';

/**
 * Forged, broken and misused tokens against every route that takes a bearer token
 * (found by asking each route without one), and against the routes that take a token
 * in the body. Nothing here may be accepted; every refusal is the one error shape.
 */
const apiRoutes = appRoutes().filter((r) => !isHtmlSurface(r.path));
const { seed, numRuns, timeoutMs } = fcSettings(60);
let cast: Cast;
let bearerRoutes: Route[];

const concrete = (route: Route) => route.path.replace(/:[A-Za-z_]+/g, () => cast.victimId);

function withAuthorization(route: Route, authorization: string | undefined) {
  const headers: Record<string, string> = { 'CF-Connecting-IP': randomIp() };
  if (authorization !== undefined) headers.Authorization = authorization;
  const body = takesBody(route.method) ? '{}' : undefined;
  if (body) headers['Content-Type'] = 'application/json';
  const path = concrete(route);
  return { method: route.method, path, headers, body, describe: describeRequest(route.method, path, headers, body) };
}

const refusedAsUnauthenticated = (answer: Answer) =>
  answer.status === 401 && errorCode(answer) === 'unauthorized' && (answer.headers.get('WWW-Authenticate') ?? '').startsWith('Bearer');

beforeAll(async () => {
  cast = await seedCast();
  bearerRoutes = [];
  for (const route of apiRoutes) {
    if (refusedAsUnauthenticated(await checkOne(withAuthorization(route, undefined)))) bearerRoutes.push(route);
  }
});

describe('robustness: hostile bearer tokens', () => {
  it('finds the routes that take a bearer token by asking them', () => {
    expect(bearerRoutes.map(label)).toEqual(
      expect.arrayContaining(['GET /api/v1/auth/me', 'PATCH /api/v1/auth/me', 'POST /api/v1/auth/logout-all', 'GET /api/v1/admin/users']),
    );
    expect(bearerRoutes.map(label)).not.toContain('POST /api/v1/auth/login');
  });

  it('accepts no forged, tampered, misused or broken token on any of them', async () => {
    const accepted: string[] = [];
    const authorizations = [...cast.hostile.map((t) => [t.name, `Bearer ${t.token}`] as const), ...HOSTILE_AUTHORIZATION.map((h) => [`header "${h.slice(0, 40)}"`, h] as const)];
    for (const route of bearerRoutes) {
      for (const [name, authorization] of authorizations) {
        const answer = await checkOne(withAuthorization(route, authorization), { state: false });
        if (!refusedAsUnauthenticated(answer)) accepted.push(`${label(route)} with ${name}: ${answer.status} ${answer.text.slice(0, 120)}`);
      }
    }
    expect(accepted).toEqual([]);
  }, 120_000);

  it('refuses random compact tokens of every shape', async () => {
    const part = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 300 });
    const token = fc.oneof(
      fc.tuple(part, part, part).map((p) => p.join('.')),
      fc.tuple(fc.constantFrom(...cast.hostile.map((t) => t.token.split('.')[0]!)), part, part).map((p) => p.join('.')),
      fc.array(part, { minLength: 1, maxLength: 6 }).map((p) => p.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bearerRoutes), token, async (route, t) => {
        const answer = await checkOne(withAuthorization(route, `Bearer ${t}`), { state: false });
        if (!refusedAsUnauthenticated(answer)) throw new Error(`${label(route)} answered ${answer.status} to Bearer ${t.slice(0, 80)}`);
      }),
      { seed, numRuns },
    );
  }, timeoutMs);
});

describe('robustness: hostile tokens in bodies', () => {
  const bodyRoute = (path: string) => ({ method: 'POST', path });

  it.each([
    ['/api/v1/auth/refresh', 'refresh'],
    ['/api/v1/auth/logout', 'refresh'],
    ['/api/v1/auth/token/verify', 'token'],
  ])('%s refuses every hostile token with 401', async (path, field) => {
    // A real refresh token is what refresh and logout are for: not hostile there.
    const hostile = cast.hostile.filter((t) => field !== 'refresh' || t.token !== cast.user.refresh);
    for (const { name, token } of hostile) {
      const body = JSON.stringify({ [field]: token });
      const headers = { 'CF-Connecting-IP': randomIp(), 'Content-Type': 'application/json' };
      const answer = await checkOne({ method: 'POST', path, headers, body, describe: describeRequest('POST', path, headers, body) });
      // Past the field's length cap it is a validation error; past the body cap, 413.
      const expected = body.length > 64 * 1024 ? [413, 'payload_too_large'] : token.length > 8192 ? [400, 'validation_failed'] : [401, 'unauthorized'];
      expect([answer.status, errorCode(answer)], `${label(bodyRoute(path))} with ${name}`).toEqual(expected);
    }
  });

  it.each([
    ['/api/v1/auth/mfa/verify', { code: '123456' }, 'mfa_token'],
    ['/api/v1/auth/verify-email', {}, 'token'],
  ])('%s refuses every hostile token with a 4xx', async (path, rest, field) => {
    for (const { name, token } of cast.hostile) {
      const body = JSON.stringify({ ...rest, [field]: token });
      const headers = { 'CF-Connecting-IP': randomIp(), 'Content-Type': 'application/json' };
      const answer = await checkOne({ method: 'POST', path, headers, body, describe: describeRequest('POST', path, headers, body) });
      expect(answer.status, `${path} with ${name}: ${answer.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { randomIp } from './helpers/api';
import { appRoutes, checkOne, describeRequest, fc, fcSettings, hostileRequest, label, routeSeed, seedCast, type Cast } from './helpers/robustness';
import { headerText, queryString } from './helpers/robustness-inputs';

/**
 * Every route the app serves (read from the app, so new routes join by themselves) gets
 * random hostile requests: wrong types, missing and stray fields, huge and odd unicode
 * strings, broken JSON and bytes, wrong content types, garbage and forged tokens, odd
 * headers, path parameters and query strings. Each answer must hold the invariants of
 * checkOne (test/helpers/robustness.ts).
 */
const routes = appRoutes();
const { seed, numRuns, timeoutMs } = fcSettings(20);
let cast: Cast;

beforeAll(async () => {
  cast = await seedCast();
});

describe('robustness: hostile requests to every route', () => {
  it('finds the routes in the app itself', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map(label)).toEqual(expect.arrayContaining(['POST /api/v1/auth/register', 'GET /api/v1/auth/me', 'DELETE /api/v1/auth/sessions/:id']));
  });

  it.each(routes.map((r) => [label(r), r] as const))('%s', async (_, route) => {
    await fc.assert(
      fc.asyncProperty(hostileRequest(route, cast), async (req) => {
        await checkOne(req);
      }),
      { seed: routeSeed(seed, route), numRuns },
    );
  }, timeoutMs);

  it('answers paths and methods it does not serve with the error shape', async () => {
    const segment = fc.oneof(
      fc.constantFrom('api', 'v1', 'auth', 'admin', 'me', '..', '.', '%2e%2e', '%2F', '%ZZ', '%00', '%E2%80%AE', '~', '*', '__proto__', 'a'.repeat(3_000)),
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.~'), maxLength: 12 }),
    );
    const path = fc.array(segment, { minLength: 1, maxLength: 8 }).map((parts) => `/${parts.join('/')}`);
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'FOO', 'PROPFIND');
    await fc.assert(
      fc.asyncProperty(method, path, fc.oneof(fc.constant(''), queryString), headerText, async (m, p, q, agent) => {
        const headers = { 'CF-Connecting-IP': randomIp(), 'User-Agent': agent };
        await checkOne({ method: m, path: `${p}${q}`, headers, describe: describeRequest(m, `${p}${q}`, headers) });
      }),
      { seed, numRuns: numRuns * 5 },
    );
  }, timeoutMs);
});

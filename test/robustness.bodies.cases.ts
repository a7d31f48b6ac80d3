import { beforeAll, describe, expect, it } from 'vitest';
import { randomIp } from './helpers/api';
import { appRoutes, checkOne, describeRequest, errorCode, isHtmlSurface, label, ownAccessToken, seedCast, takesBody, type Cast, type RequestBody, type Route } from './helpers/robustness';
import { CONTENT_TYPES, RAW_BYTES, RAW_TEXTS } from './helpers/robustness-inputs';

/**
 * Every route that takes a body, with the whole corpus of broken bodies: undecodable
 * bytes, duplicate and prototype keys, deep nesting, broken JSON, wrong content types and
 * bodies past the cap, with and without Content-Length. The JSON routes parse bodies in
 * one place before any route runs, so for them the answers are exact.
 */
const bodyRoutes = appRoutes().filter((r) => takesBody(r.method));
let cast: Cast;

beforeAll(async () => {
  cast = await seedCast();
});

const OVER_CAP = JSON.stringify({ email: 'big@example.com', padding: 'x'.repeat(70 * 1024) });

function request(route: Route, body: RequestBody, contentType: string | undefined) {
  const path = route.path.replace(/:[A-Za-z_]+/g, () => cast.victimId);
  const headers: Record<string, string> = { 'CF-Connecting-IP': randomIp(), Authorization: `Bearer ${ownAccessToken(route, cast)}` };
  if (isHtmlSurface(route.path)) {
    headers.Origin = 'https://gatehouse.test';
    if (cast.console) headers.Cookie = cast.console.cookie;
  }
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return { method: route.method, path, headers, body, describe: describeRequest(route.method, path, headers, body) };
}

describe('robustness: broken bodies on every route that takes one', () => {
  it('has body routes to test', () => {
    expect(bodyRoutes.length).toBeGreaterThan(15);
  });

  it.each(bodyRoutes.map((r) => [label(r), r] as const))('%s', async (_, route) => {
    const json = !isHtmlSurface(route.path);
    const type = json ? 'application/json' : 'application/x-www-form-urlencoded';

    // Texts that parse reach the validators and handlers: those also must leave D1 alone when refused.
    for (const text of RAW_TEXTS) await checkOne(request(route, text, type));
    for (const bytes of RAW_BYTES) {
      const answer = await checkOne(request(route, bytes, type), { state: false });
      // Undecodable bytes never reach a JSON route.
      if (json && bytes[0] !== 0xef) expect([answer.status, errorCode(answer)], `bytes ${[...bytes.slice(0, 12)]}`).toEqual([400, 'invalid_json']);
    }

    for (const contentType of [...CONTENT_TYPES, undefined]) {
      const answer = await checkOne(request(route, '{"email":"a@example.com"}', contentType), { state: false });
      if (json && (contentType === undefined || /^(text|multipart|application\/(x-www|xml|jsonx))|^\*|^;/i.test(contentType))) {
        expect([answer.status, errorCode(answer)], String(contentType)).toEqual([415, 'unsupported_media_type']);
      }
    }

    const declared = await checkOne(request(route, OVER_CAP, type), { state: false });
    const streamed = await checkOne(request(route, new Blob([OVER_CAP]).stream(), type), { state: false });
    for (const answer of [declared, streamed]) {
      expect(answer.status).toBe(413);
      if (json) expect(errorCode(answer)).toBe('payload_too_large');
    }
  });
});

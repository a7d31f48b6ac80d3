import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import fc from 'fast-check';
import worker from '../../src/index';
import { createApp } from '../../src/app';
import { ERROR_STATUS, type ErrorCode } from '../../src/http/errors';
import { randomIp, STRONG_PASSWORD, uniqueEmail } from './api';
import { createVerifiedUser, login } from './users';
import { CONTENT_TYPES, headerText, hostileString, mutatedObject, pathSegment, queryString, rawBody, hostileValue } from './robustness-inputs';
import { HOSTILE_AUTHORIZATION, hostileTokens, type HostileToken } from './robustness-tokens';

/**
 * The robustness suite's frame: which routes exist (read from the app itself, so routes
 * added later are covered without touching the suite), how a hostile request is built
 * and sent, and what every answer must satisfy.
 */

// ---------------------------------------------------------------- settings

const DEFAULT_SEED = 20_261_121;

/** A fixed seed by default (CI); ROBUSTNESS_SEED and ROBUSTNESS_RUNS pick another seed or a longer run. */
export function fcSettings(defaultRuns: number): { seed: number; numRuns: number; timeoutMs: number } {
  const vars = env as unknown as Record<string, string | undefined>;
  const seed = Number.parseInt(vars.ROBUSTNESS_SEED ?? '', 10);
  const runs = Number.parseInt(vars.ROBUSTNESS_RUNS ?? '', 10);
  const numRuns = runs > 0 ? runs : defaultRuns;
  return { seed: Number.isFinite(seed) ? seed : DEFAULT_SEED, numRuns, timeoutMs: Math.max(30_000, numRuns * 1_500) };
}

// ---------------------------------------------------------------- routes

export interface Route {
  method: string;
  path: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every route the app serves, from Hono's own table (middleware entries, method ALL, left out). */
export function appRoutes(): Route[] {
  const routes = new Map<string, Route>();
  for (const { method, path } of createApp().routes) {
    if (METHODS.includes(method) && !path.includes('*')) routes.set(`${method} ${path}`, { method, path });
  }
  return [...routes.values()];
}

export const label = (route: Route) => `${route.method} ${route.path}`;

/** The admin console renders HTML pages, errors included; everything else answers the JSON error shape. */
export const isHtmlSurface = (path: string) => path === '/admin' || path.startsWith('/admin/');

export const takesBody = (method: string) => method !== 'GET' && method !== 'HEAD';

// ---------------------------------------------------------------- the cast

export interface Cast {
  user: { id: string; email: string; access: string; refresh: string };
  admin: { id: string; email: string; access: string };
  /** The admin signed in to the console (null if the app has no console). */
  console: { cookie: string; csrf: string } | null;
  /** An account for path parameters, never the caller. */
  victimId: string;
  /** Access token of one more account, for routes that end every session (logout-all): the user's must stay live. */
  expendableAccess: string;
  hostile: HostileToken[];
}

/** A verified user, an admin and a bystander, signed in, plus tokens that must never be accepted. */
export async function seedCast(): Promise<Cast> {
  const user = await createVerifiedUser();
  const admin = await createVerifiedUser();
  const victim = await createVerifiedUser();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.id).run();
  const userTokens = await login(user);
  const adminTokens = await login(admin);
  const expendable = await login(await createVerifiedUser());
  return {
    user: { id: user.id, email: user.email, access: userTokens.access, refresh: userTokens.refresh },
    admin: { id: admin.id, email: admin.email, access: adminTokens.access },
    console: await consoleSignIn(admin.email),
    victimId: victim.id,
    expendableAccess: expendable.access,
    hostile: await hostileTokens({ access: userTokens.access, refresh: userTokens.refresh, adminId: admin.id }),
  };
}

/** Signs in to the console as a browser would, for its session cookie and CSRF token. */
async function consoleSignIn(email: string): Promise<Cast['console']> {
  const answer = await send({
    method: 'POST',
    path: '/admin/login',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://gatehouse.test', 'CF-Connecting-IP': randomIp() },
    body: new URLSearchParams({ identifier: email, password: STRONG_PASSWORD }).toString(),
  });
  const cookie = /(__Host-[^=]+=[^;]+)/.exec(answer.headers.get('Set-Cookie') ?? '')?.[1];
  if (!cookie) return null;
  const keys = await env.KV.list({ prefix: 'console:session:' });
  const record = keys.keys[0] ? await env.KV.get<{ csrf: string }>(keys.keys[0].name, 'json') : null;
  return record ? { cookie, csrf: record.csrf } : null;
}

/** Every field some route reads, with values that would pass its validator. */
function plausibleBody(cast: Cast): Record<string, unknown> {
  return {
    email: uniqueEmail('robust'),
    password: STRONG_PASSWORD,
    password_confirm: STRONG_PASSWORD,
    username: `robust_${crypto.randomUUID().slice(0, 6)}`,
    phone_number: '+14155550123',
    first_name: 'Ada',
    last_name: 'Lovelace',
    device: { fingerprint_hash: 'f'.repeat(64), device_type: 'desktop', browser: 'Firefox', os: 'Linux' },
    token: 'x'.repeat(43),
    code: '123456',
    refresh: 'a.b.c',
    identifier: cast.user.email,
    current_password: 'not-the-password',
    new_password: 'Quiet-Harbor-Lantern-47',
    mfa_token: 'a.b.c',
    profile: { bio: 'hi', website: 'https://example.com', timezone: 'UTC', language: 'en' },
    role: 'user',
    is_active: true,
    email_verified: true,
  };
}

// ---------------------------------------------------------------- requests

export type RequestBody = string | Uint8Array | ReadableStream<Uint8Array>;

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: RequestBody;
  /** Short description for failure messages (bodies can be 70 KB). */
  describe: string;
}

/** Fills ":param" segments. */
export function pathFor(route: Route, segment: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const names = route.path.split('/').filter((s) => s.startsWith(':'));
  if (names.length === 0) return fc.constant(route.path);
  return fc.tuple(...names.map(() => segment)).map((values) => {
    let i = 0;
    return route.path.replace(/:[A-Za-z_]+/g, () => values[i++]!);
  });
}

/**
 * The admin's token goes only to admin routes: a random "sign out everywhere" elsewhere
 * would end the admin's session and with it the coverage of the admin API. Likewise
 * logout-all gets a token of its own: writes need a live session, so ending the user's
 * would leave every later route a 401.
 */
export function ownAccessToken(route: Route, cast: Cast): string {
  if (route.path.includes('/admin')) return cast.admin.access;
  return route.path.endsWith('/logout-all') ? cast.expendableAccess : cast.user.access;
}

function authorization(route: Route, cast: Cast): fc.Arbitrary<string | undefined> {
  const own = ownAccessToken(route, cast);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.constant(`Bearer ${own}`) },
    { weight: 2, arbitrary: fc.constantFrom(...cast.hostile.map((t) => `Bearer ${t.token}`)) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_AUTHORIZATION) },
    { weight: 1, arbitrary: headerText },
  );
}

const CONSOLE_ACTIONS = ['lock', 'unlock', 'deactivate', 'activate', 'verify_email', 'change_role', 'revoke_sessions', 'reset_mfa', 'delete', 'restore'];

/** Console forms: url-encoded fields, each kept, dropped or made hostile. */
function consoleForm(cast: Cast): fc.Arbitrary<string> {
  const plausible = {
    identifier: cast.admin.email,
    password: 'not-the-password',
    mfa_token: 'a.b.c',
    code: '123456',
    csrf: cast.console?.csrf ?? 'x',
    action: 'lock',
  };
  return fc
    .tuple(mutatedObject(plausible), fc.constantFrom(...CONSOLE_ACTIONS), fc.constantFrom('15', '0', '-1', '1e9', 'NaN', ''), fc.constantFrom('user', 'admin', 'manager', 'root', ''))
    .map(([form, action, minutes, role]) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ action, minutes, role, ...form })) {
        params.append(k, (typeof v === 'string' ? v : JSON.stringify(v) ?? '').replace(/[\uD800-\uDFFF]/g, '?'));
      }
      return params.toString();
    });
}

function body(route: Route, cast: Cast): fc.Arbitrary<string | Uint8Array | undefined> {
  if (isHtmlSurface(route.path)) {
    return fc.oneof({ weight: 4, arbitrary: consoleForm(cast) }, { weight: 1, arbitrary: rawBody }, { weight: 1, arbitrary: fc.constant(undefined) });
  }
  const plausible = plausibleBody(cast);
  // One field made nasty, the rest valid: the likeliest way past the validators into a handler.
  const oneNastyField = fc
    .tuple(fc.constantFrom(...Object.keys(plausible)), fc.oneof(hostileString, hostileValue))
    .map(([key, value]) => JSON.stringify({ ...plausible, [key]: value }));
  return fc.oneof(
    { weight: 3, arbitrary: mutatedObject(plausible).map((o) => JSON.stringify(o)) },
    { weight: 3, arbitrary: oneNastyField },
    { weight: 2, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: rawBody },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** One request to `route` with hostile parts anywhere: path, query, headers, token, cookie, body. */
export function hostileRequest(route: Route, cast: Cast): fc.Arbitrary<HostileRequest> {
  const html = isHtmlSurface(route.path);
  const usualType = html ? 'application/x-www-form-urlencoded' : 'application/json';
  // Never sign the console out through its own sign-out route: later routes would lose the session.
  const cookie = cast.console && route.path !== '/admin/logout' ? cast.console.cookie : 'x=y';
  return fc
    .record({
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
      path: pathFor(route, pathSegment([cast.victimId])),
      slash: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('/') }),
      query: fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryString }),
      auth: authorization(route, cast),
      contentType: fc.oneof({ weight: 8, arbitrary: fc.constant(usualType) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(undefined) }),
      body: body(route, cast),
      ip: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: headerText }, { weight: 1, arbitrary: fc.ipV6() }),
      origin: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: html ? 4 : 1, arbitrary: fc.constant('https://gatehouse.test') }, { weight: 1, arbitrary: headerText }),
      cookie: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: html ? 4 : 1, arbitrary: fc.constant(cookie) }, { weight: 1, arbitrary: headerText }),
      extra: fc.dictionary(
        fc.constantFrom('User-Agent', 'X-Forwarded-For', 'Accept', 'Accept-Language', 'Referer', 'Sec-Fetch-Site', 'X-Request-Id', 'Host', 'Content-Length'),
        headerText,
        { maxKeys: 3 },
      ),
    })
    .map((r) => {
      const headers: Record<string, string> = { ...r.extra, 'CF-Connecting-IP': r.ip ?? randomIp() };
      if (r.auth !== undefined) headers.Authorization = r.auth;
      if (r.origin !== undefined) headers.Origin = r.origin;
      if (r.cookie !== undefined) headers.Cookie = r.cookie;
      const withBody = takesBody(r.method) && r.body !== undefined;
      if (withBody && r.contentType !== undefined) headers['Content-Type'] = r.contentType;
      const path = `${r.path}${r.slash}${r.query}`;
      const body = withBody ? r.body : undefined;
      return { method: r.method, path, headers, body, describe: describeRequest(r.method, path, headers, body) };
    });
}

/** A seed per route from the run's seed, so routes do not all draw the same sequence. */
export function routeSeed(seed: number, route: Route): number {
  let h = seed >>> 0;
  for (const ch of label(route)) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619) >>> 0;
  return h | 0;
}

export function describeRequest(method: string, path: string, headers: Record<string, string>, body?: RequestBody): string {
  const clip = (s: string) => (s.length > 160 ? `${s.slice(0, 160)}…(${s.length} chars)` : s);
  const shownBody =
    body === undefined ? '' : typeof body === 'string' ? clip(JSON.stringify(body)) : body instanceof Uint8Array ? `bytes[${body.byteLength}] ${[...body.slice(0, 24)].join(',')}` : '(stream)';
  const shownHeaders = Object.entries(headers).map(([k, v]) => `${k}: ${clip(JSON.stringify(v))}`).join('; ');
  return `${method} ${clip(path)} | ${shownHeaders} | ${shownBody}`;
}

// ---------------------------------------------------------------- sending

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/**
 * Sends through the Worker's own fetch handler and waits for its waitUntil work too, so
 * a state snapshot taken afterwards sees everything the request did.
 */
export async function send(req: Pick<HostileRequest, 'method' | 'path' | 'headers' | 'body'>): Promise<Answer> {
  return sendRequest(toRequest(req));
}

export function toRequest(req: Pick<HostileRequest, 'method' | 'path' | 'headers' | 'body'>): Request {
  return new Request(`https://gatehouse.test${req.path}`, { method: req.method, headers: req.headers, body: req.body ?? null });
}

async function sendRequest(request: Request): Promise<Answer> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// ---------------------------------------------------------------- invariants

/** Internals that must never reach a client: SQL and D1 errors, stack frames, JS error names. */
export const LEAK =
  /SQLITE|D1_[A-Z]|Failed query|no such (table|column)|constraint failed|\bat .*\.[cm]?[jt]sx?:\d+|\b(TypeError|ReferenceError|SyntaxError|RangeError|URIError|EvalError|AggregateError)\b|node_modules|drizzle|stack/i;

const OPAQUE_TOKEN = /[A-Za-z0-9_-]{40,}/g;

const ERROR_KEYS = new Set(['code', 'message', 'request_id', 'fields']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with an answer; empty when it is fine. */
export function problemsWith(answer: Answer, { method, path }: { method: string; path: string }): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  // Tokens (JWTs, codes) are long runs of base64url: random text that can spell "d1_k" or
  // "stack". No internal error message is one unbroken run that long, so they are left out.
  const readable = answer.text.replace(OPAQUE_TOKEN, '…');
  const leak = LEAK.exec(readable);
  if (leak) problems.push(`body leaks internals ("${leak[0]}"): ${readable.slice(Math.max(0, leak.index - 80), leak.index + 80)}`);
  if (!answer.headers.get('X-Request-Id')) problems.push('no X-Request-Id header');
  if (answer.status >= 400 && answer.status < 500 && method !== 'HEAD') {
    // The surface is where the URL lands once normalized ("/%2e%2e/admin" is "/admin").
    if (isHtmlSurface(new URL(`https://gatehouse.test${path}`).pathname)) {
      const type = answer.headers.get('Content-Type') ?? '';
      if (!type.startsWith('text/html')) problems.push(`console error answered as "${type}", not an HTML page`);
    } else {
      problems.push(...errorShapeProblems(answer));
    }
  }
  return problems;
}

/** `{"error": {"code", "message", "request_id", "fields"?}}` and nothing else (API.md). */
export function errorShapeProblems(answer: Answer): string[] {
  const type = answer.headers.get('Content-Type') ?? '';
  if (!type.startsWith('application/json')) return [`error answered as "${type}": ${answer.text.slice(0, 200)}`];
  const body = answer.json;
  if (!isRecord(body) || Object.keys(body).join(',') !== 'error' || !isRecord(body.error)) return [`not the error shape: ${answer.text.slice(0, 300)}`];
  const error = body.error;
  const problems: string[] = [];
  const stray = Object.keys(error).filter((k) => !ERROR_KEYS.has(k));
  if (stray.length) problems.push(`error has extra members ${stray.join(', ')}`);
  const code = error.code as ErrorCode;
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) problems.push(`unknown error code ${JSON.stringify(code)}`);
  else if (ERROR_STATUS[code] !== answer.status) problems.push(`code ${code} answered with status ${answer.status}`);
  if (typeof error.message !== 'string' || !error.message) problems.push('error.message missing');
  if (typeof error.request_id !== 'string' || error.request_id !== answer.headers.get('X-Request-Id')) problems.push('error.request_id differs from X-Request-Id');
  if (error.fields !== undefined) {
    const ok = isRecord(error.fields) && Object.values(error.fields).every((v) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === 'string'));
    if (!ok) problems.push(`error.fields is not {field: [messages]}: ${JSON.stringify(error.fields).slice(0, 200)}`);
  }
  return problems;
}

export const errorCode = (answer: Answer): string | undefined =>
  isRecord(answer.json) && isRecord(answer.json.error) && typeof answer.json.error.code === 'string' ? answer.json.error.code : undefined;

/**
 * Refusals that come before any work: the request must leave no trace in D1. (Refusals
 * such as a wrong password do record an audit event, on purpose, so they are not here.)
 */
export const REFUSED_BEFORE_WORK = new Set<string>([
  'invalid_json',
  'validation_failed',
  'unsupported_media_type',
  'payload_too_large',
  'not_found',
  'method_not_allowed',
  'unauthorized',
  'rate_limited',
]);

// ---------------------------------------------------------------- state

let tables: string[] | null = null;

/**
 * A failed credential check leaves its audit trail on purpose, whatever it answers
 * (e.g. 400 on current_password for a password change): those rows are not a trace.
 */
const FAILED_CREDENTIAL_EVENTS = "'login_failed', 'account_locked'";

/**
 * Every row of every table a request writes synchronously, as one string. The mail
 * tables are left out: the queue consumer writes them later, on its own schedule.
 */
export async function dbState(): Promise<string> {
  tables ??= (
    await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT IN ('mail_deliveries', 'mail_failures') ORDER BY name",
    ).all<{ name: string }>()
  ).results.map((r) => r.name);
  const select = (t: string) => (t === 'audit_events' ? `SELECT * FROM "${t}" WHERE type NOT IN (${FAILED_CREDENTIAL_EVENTS})` : `SELECT * FROM "${t}"`);
  const results = await env.DB.batch(tables.map((t) => env.DB.prepare(select(t))));
  return JSON.stringify(results.map((r, i) => [tables![i], r.results]));
}

/** Row counts of the named tables (for messages and focused checks). */
export async function rowCounts(names: string[]): Promise<Record<string, number>> {
  const results = await env.DB.batch(names.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM "${t}"`)));
  return Object.fromEntries(names.map((t, i) => [t, (results[i]!.results[0] as { n: number }).n]));
}

// ---------------------------------------------------------------- the property

/**
 * Sends one request and checks it: never a 5xx, the error shape on every 4xx, no leaked
 * internals, and (unless `state: false`, for sweeps that only exercise the gate in front
 * of every route) no change in D1 from a request refused before any work.
 */
export async function checkOne(req: HostileRequest, { state = true }: { state?: boolean } = {}): Promise<Answer> {
  let request: Request;
  try {
    request = toRequest(req);
  } catch {
    // Not a request any client could send (e.g. a header value the platform refuses).
    fc.pre(false);
    throw new Error('unreachable');
  }
  const before = state ? await dbState() : null;
  let answer: Answer;
  try {
    answer = await sendRequest(request);
  } catch (err) {
    throw new Error(`the Worker threw instead of answering (${String(err)})\n  request: ${req.describe}`);
  }
  const problems = problemsWith(answer, req);
  const code = errorCode(answer);
  if (before !== null && answer.status >= 400 && code && REFUSED_BEFORE_WORK.has(code) && (await dbState()) !== before) {
    problems.push(`refused with ${code} but changed D1`);
  }
  if (problems.length) throw new Error(`${problems.join('\n  ')}\n  request: ${req.describe}\n  answer: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer;
}

export { fc, hostileString };

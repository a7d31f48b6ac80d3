import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { ApiError } from '../http/errors';
import { clock } from '../clock';
import { auditInsert } from '../audit/record';
import { anonymousLimit } from '../ratelimit/limit';
import { requireAuth, verifyAccessToken } from '../tokens';
import { unauthorized } from '../tokens/middleware';
import { verifyRefreshToken } from '../tokens/refresh';
import { accountState } from '../accounts/state/client';
import { metaOf } from '../http/request-meta';
import { requestMeta } from '../http/request-meta';
import { refreshTokens } from './refresh';
import { checkSession, requireLiveSession } from './liveness';
import { documented } from '../http/openapi';
import { tokenResponseSchema } from '../users/responses';
import { sessionCheckSchema, sessionListSchema, sessionRenewalSchema, tokenVerifySchema } from './responses';
import { contextOf } from '../http/request-context';
import { checkCurrentSession, describeSession, recordRenewal, renewSession } from './renewal';
import { endedSessions, listedSession, liveSession } from './history';
import { dbOf, readsFromReplica } from '../http/db-session';

const refreshBody = z.object({ refresh: z.string({ error: 'This field is required.' }).min(1).max(8192) });
const tokenBody = z.object({ token: z.string({ error: 'This field is required.' }).min(1).max(8192) });
const sessionListQuery = z.object({ include: z.enum(['ended'], { error: 'Only "ended" can be included.' }).optional() });

export const sessionRoutes = new Hono<AppEnv>()
  .post('/refresh', documented({ tags: ['sessions'], summary: 'Rotate the refresh token', auth: 'none', responses: { 200: tokenResponseSchema } }), anonymousLimit, readsFromReplica, validate('json', refreshBody), async (c) => {
    return c.json(await refreshTokens(contextOf(c), c.req.valid('json').refresh));
  })
  .post('/logout', documented({ tags: ['sessions'], summary: 'Sign out the session of a refresh token', auth: 'none', responses: { 204: null } }), anonymousLimit, validate('json', refreshBody), async (c) => {
    const now = clock.now();
    const claims = await verifyRefreshToken(c.env, c.req.valid('json').refresh, now);
    const revoked = await accountState(c.env, claims.sub).revokeSession(claims.sid, 'logout', now);
    if (!revoked) throw new ApiError('unauthorized');
    await auditInsert(dbOf(c), { type: 'logout', userId: claims.sub, actorId: claims.sub, ...metaOf(requestMeta(c)), metadata: { session_id: claims.sid }, at: now });
    return c.body(null, 204);
  })
  .post('/logout-all', documented({ tags: ['sessions'], summary: 'Sign out every session', auth: 'bearer', responses: { 204: null } }), requireAuth, requireLiveSession, async (c) => {
    const now = clock.now();
    const { sub } = c.get('auth');
    const revoked = await accountState(c.env, sub).revokeSessions({ keep: null, reason: 'logout' }, now);
    await auditInsert(dbOf(c), { type: 'logout_all', userId: sub, actorId: sub, ...metaOf(requestMeta(c)), metadata: { sessions: revoked.length }, at: now });
    return c.body(null, 204);
  })
  .get('/session/check', documented({ tags: ['sessions'], summary: 'Check the session of the access token', auth: 'bearer', responses: { 200: sessionCheckSchema } }), requireAuth, async (c) => {
    return c.json(await checkCurrentSession(contextOf(c), c.get('auth')));
  })
  .post('/session/refresh', documented({ tags: ['sessions'], summary: 'Extend the session and get a new access token', auth: 'bearer', responses: { 200: sessionRenewalSchema } }), requireAuth, async (c) => {
    const ctx = contextOf(c);
    const renewal = await renewSession(ctx, c.get('auth'));
    if (!renewal) return unauthorized(c, 'Bearer error="invalid_token"');
    await recordRenewal(ctx, renewal);
    return c.json({ access: renewal.access, token_type: 'Bearer', expires_in: renewal.expiresIn, session: describeSession(renewal.session) });
  })
  .get('/sessions', documented({ tags: ['sessions'], summary: 'List my sessions (?include=ended adds the ended ones)', auth: 'bearer', responses: { 200: sessionListSchema } }), requireAuth, validate('query', sessionListQuery), async (c) => {
    const { sub, sid } = c.get('auth');
    const ctx = contextOf(c);
    const [sessions, ended] = await Promise.all([
      accountState(c.env, sub).sessions(ctx.now),
      c.req.valid('query').include === 'ended' ? endedSessions(ctx, sub) : null,
    ]);
    // The list comes from the object itself: a token whose session is not on it is dead.
    if (!sessions.some((s) => s.id === sid)) return unauthorized(c, 'Bearer error="invalid_token"');
    if (ended) return c.json({ results: [...sessions.map((s) => liveSession(s, sid)), ...ended] });
    return c.json({ results: sessions.map((s) => listedSession(s, sid)) });
  })
  .delete('/sessions/:id', documented({ tags: ['sessions'], summary: 'Sign out one of my sessions', auth: 'bearer', responses: { 204: null } }), requireAuth, requireLiveSession, async (c) => {
    const now = clock.now();
    const { sub } = c.get('auth');
    // The object is the caller's own: another user's session id is simply not found there.
    const revoked = await accountState(c.env, sub).revokeSession(c.req.param('id'), 'revoked', now);
    if (!revoked) throw new ApiError('not_found');
    await auditInsert(dbOf(c), { type: 'session_revoked', userId: sub, actorId: sub, ...metaOf(requestMeta(c)), metadata: { session_id: revoked.id }, at: now });
    return c.body(null, 204);
  })
  .post('/token/verify', documented({ tags: ['sessions'], summary: 'Check an access token (signature, expiry, live session)', auth: 'none', responses: { 200: tokenVerifySchema } }), anonymousLimit, validate('json', tokenBody), async (c) => {
    const now = clock.now();
    const claims = await verifyAccessToken(c.env, c.req.valid('json').token, now);
    // A good signature is not enough: the session must still be open and the account active.
    if (!(await checkSession(c.env, claims.sub, claims.sid, now)).ok) throw new ApiError('unauthorized');
    return c.json({ valid: true, claims });
  });

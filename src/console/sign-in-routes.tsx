import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context';
import { clock } from '../clock';
import { ApiError } from '../http/errors';
import { metaOf, requestMeta } from '../http/request-meta';
import { contextOf } from '../http/request-context';
import { timingSafeEqualStrings } from '../crypto/hash';
import { auditInsert } from '../audit/record';
import { anonymousLimit } from '../ratelimit/limit';
import { parseIdentifier } from '../users/identifier';
import { phoneReader } from '../users/phones';
import { assertCanSignIn, checkPassword } from '../sign-in/password';
import { ADMIN_LOCK_MESSAGE } from '../sign-in/locked';
import { completeSignIn } from '../sign-in/complete';
import type { TokenResponse } from '../sessions/tokens';
import { completeMfaSignIn } from '../mfa';
import { isStaffRole } from '../admin/permissions';
import { readForm } from './guard';
import { closeConsoleSession, discardSignIn, openConsoleSession, readConsoleSession } from './session';
import { render } from './render';
import { EnrolMfaPage, MfaPage, SignInPage } from './pages/sign-in';
import { getConfig } from '../config/config';
import { dbOf } from '../http/db-session';

const limit = anonymousLimit;

/** What the sign-in page says for each refusal: the API's own messages, minutes for a lockout. */
function refusal(err: ApiError): string {
  if (err.code === 'account_locked') {
    const why = err.message === ADMIN_LOCK_MESSAGE ? 'This account is locked.' : 'Too many failed attempts.';
    return `${why} Try again in ${Math.ceil((err.retryAfter ?? 60) / 60)} minute(s).`;
  }
  if (err.code === 'otp_invalid') return 'That code is not right. Try again.';
  if (err.code === 'token_invalid') return 'The sign-in took too long. Start again.';
  return err.message;
}

async function finish(c: Context<AppEnv>, tokens: TokenResponse, now: number) {
  // The second factor may have taken minutes: the account must still be staff.
  if (!isStaffRole(tokens.user.role)) {
    await discardSignIn(c.env, tokens, now);
    throw new ApiError('forbidden', 'This account cannot use the admin console.');
  }
  // REQUIRE_ADMIN_MFA: no console session for staff without two-factor; they are told to enrol.
  if (getConfig(c.env).requireAdminMfa && !tokens.user.mfa_enabled) {
    await discardSignIn(c.env, tokens, now);
    return render(c, <EnrolMfaPage />, 403);
  }
  await openConsoleSession(c, tokens, now);
  return c.redirect('/admin/users', 303);
}

/**
 * Console sign-in: the API's password check and lockout (checkPassword), the same status
 * rules (assertCanSignIn), staff only, then the one hand-over every first factor uses
 * (completeSignIn), which asks for the second factor when the account has one.
 */
export const signInRoutes = new Hono<AppEnv>()
  .get('/login', async (c) => {
    if (await readConsoleSession(c, clock.now())) return c.redirect('/admin/users', 303);
    return render(c, <SignInPage notice={c.req.query('signed_out') !== undefined ? 'You are signed out.' : undefined} />);
  })
  .post('/login', limit, readForm, async (c) => {
    const { identifier: raw = '', password = '' } = c.get('form');
    const ctx = contextOf(c);
    const identifier = await parseIdentifier({ identifier: raw }, phoneReader(ctx));
    if (!identifier || !password) return render(c, <SignInPage error="Enter your email or username and your password." identifier={raw} />, 400);
    const now = ctx.now;
    try {
      const user = await checkPassword(ctx, identifier, password);
      assertCanSignIn(user, ctx.config);
      if (!isStaffRole(user.role)) {
        await auditInsert(ctx.db, { type: 'login_failed', userId: user.id, ...metaOf(ctx.meta), metadata: { reason: 'not_staff', via: 'console' }, at: now });
        throw new ApiError('forbidden', 'This account cannot use the admin console.');
      }
      const result = await completeSignIn(ctx, user, null, 'console');
      if ('mfa_required' in result) return render(c, <MfaPage mfaToken={result.mfa_token} />);
      return await finish(c, result, now);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
      return render(c, <SignInPage error={refusal(err)} identifier={raw} />, err.status);
    }
  })
  .post('/login/mfa', limit, readForm, async (c) => {
    const { mfa_token: mfaToken = '', code = '' } = c.get('form');
    if (!mfaToken) return c.redirect('/admin/login', 303);
    const ctx = contextOf(c);
    try {
      return await finish(c, await completeMfaSignIn(ctx, mfaToken, code.replace(/\s+/g, '')), ctx.now);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
      // A wrong code leaves the token usable for the next try; a dead token means starting over.
      if (err.code === 'otp_invalid') return render(c, <MfaPage mfaToken={mfaToken} error={refusal(err)} />, 400);
      return render(c, <SignInPage error={refusal(err)} />, err.status);
    }
  })
  .post('/logout', readForm, async (c) => {
    // Only the session's own CSRF token may end it; without a session there is nothing to end.
    const now = clock.now();
    const session = await readConsoleSession(c, now);
    if (session && timingSafeEqualStrings(c.get('form').csrf ?? '', session.csrf)) {
      await closeConsoleSession(c, now);
      const metadata = { session_id: session.session_id, via: 'console' };
      await auditInsert(dbOf(c), { type: 'logout', userId: session.user_id, actorId: session.user_id, ...metaOf(requestMeta(c)), metadata, at: now });
    }
    return c.redirect('/admin/login?signed_out', 303);
  });

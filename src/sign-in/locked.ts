import { ApiError } from '../http/errors';

/** A 423 from an admin lock says so: "too many failed attempts" would be untrue. */
export const ADMIN_LOCK_MESSAGE = 'This account is locked; try again later.';

/** account_locked (423) with Retry-After, for a failure lockout or an admin lock. */
export function accountLocked(refusal: { retryAfter: number; byAdmin?: boolean }): ApiError {
  return new ApiError('account_locked', refusal.byAdmin ? ADMIN_LOCK_MESSAGE : undefined, { retryAfter: refusal.retryAfter });
}

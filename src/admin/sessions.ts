import type { Env } from '../env';
import { accountState } from '../accounts/state/client';

/**
 * Ends every session of an account: the Durable Object forgets them, KV marks them dead
 * everywhere. Returns how many. `fence`: the users.updated_at of the change that ends them
 * (a deactivation, a deletion, ...), when no sign-in may decide on a row from before it
 * (accounts/state/fence.ts); pass the value written, not a later `now`.
 */
export async function endAllSessions(env: Env, userId: string, now: number, fence?: number): Promise<number> {
  return (await accountState(env, userId).revokeSessions({ keep: null, reason: 'admin', fence }, now)).length;
}

/** A change that ends no session but must not be read stale at sign-in wrote users.updated_at = `updatedAt`. */
export async function fenceSignIns(env: Env, userId: string, updatedAt: number): Promise<void> {
  await accountState(env, userId).fenceCredentials(updatedAt);
}

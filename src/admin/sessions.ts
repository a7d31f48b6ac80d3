import type { Env } from '../env';
import { userState } from '../state/user-state';
import { markRevoked } from '../sessions/revocation';

/** Ends every session of an account: the Durable Object forgets them, KV marks them dead everywhere. Returns how many. */
export async function endAllSessions(env: Env, userId: string, now: number): Promise<number> {
  const revoked = await userState(env, userId).revokeAllSessions(null);
  await markRevoked(env, revoked, now);
  return revoked.length;
}

import type { Env } from '../env';
import { accountState } from '../accounts/state/client';

/** Ends every session of an account: the Durable Object forgets them, KV marks them dead everywhere. Returns how many. */
export async function endAllSessions(env: Env, userId: string, now: number): Promise<number> {
  return (await accountState(env, userId).revokeSessions({ keep: null, reason: 'admin' }, now)).length;
}

import type { Env } from '../env';
import { getConfig } from '../config/config';
import type { UserWithEmail } from '../db/schema';
import { enqueueMail } from '../mail/enqueue';
import { issueCode, type CodePurpose } from './one-time-codes';

const TEMPLATE = { login: 'login_code', reset: 'password_reset_code' } as const satisfies Record<CodePurpose, string>;

/** Issues a fresh code for `purpose` (killing the previous one) and queues its mail. */
export async function mailCode(env: Env, user: Pick<UserWithEmail, 'id' | 'email'>, purpose: CodePurpose, now: number): Promise<void> {
  const { code } = await issueCode(env, purpose, user.id, now);
  const minutes = Math.round(getConfig(env).ttl.code / 60);
  await enqueueMail(env, { template: TEMPLATE[purpose], to: user.email, userId: user.id, data: { code, minutes } }, now);
}

import type { Env } from '../env';
import type { RateRule } from '../config/config';
import { addressKey, consumeLimit, rule } from './limit';
import { limitLabel } from './message';

/**
 * Spends an address's budget for a route that mails a code, or throws rate_limited.
 * Keyed on a hash of the normalized address, whether or not it has an account, so the
 * 429s reveal nothing; and a mailbox cannot be flooded from many IPs.
 */
export async function spendAddressBudget(env: Env, scope: string, email: string, limit: RateRule): Promise<void> {
  await consumeLimit(env, await addressKey(scope, email), [rule(scope, limit, limitLabel(scope, 'address'))]);
}

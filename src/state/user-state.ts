import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import * as ledger from './secrets-ledger';

/**
 * One object per account (named by user id), and per normalized identifier for names
 * with no account. It serializes everything about that account that must be exact:
 * one-time secrets now; lockout and sessions build on it.
 */
export class UserState extends DurableObject<Env> {
  private get store(): ledger.LedgerStore {
    const kv = this.ctx.storage.kv;
    return {
      get: (k) => kv.get<ledger.SecretRecord>(k),
      put: (k, v) => kv.put(k, v),
      delete: (k) => void kv.delete(k),
    };
  }

  issueSecret(purpose: string, record: Omit<ledger.SecretRecord, 'attempts' | 'consumed'>): void {
    ledger.issue(this.store, purpose, record);
  }

  attemptCode(purpose: string, generation: string, matched: boolean, maxAttempts: number, now: number): ledger.CodeOutcome {
    return ledger.attemptCode(this.store, purpose, generation, matched, maxAttempts, now);
  }

  consumeLink(purpose: string, generation: string, now: number): ledger.CodeOutcome {
    return ledger.consumeLink(this.store, purpose, generation, now);
  }

  describeSecret(purpose: string, maxAttempts: number, now: number): ledger.PendingSecret | null {
    return ledger.describe(this.store, purpose, maxAttempts, now);
  }

  revokeSecret(purpose: string): void {
    ledger.revoke(this.store, purpose);
  }
}

export function userState(env: Env, userId: string): DurableObjectStub<UserState> {
  return env.USER_STATE.getByName(`user:${userId}`);
}

/**
 * Everything the per-user object (object.ts) keeps, in one list. Each key family names
 * the module that owns its shape. Changing a shape or a key means: bump LAYOUT_VERSION,
 * and add the step from the previous version to MIGRATIONS; every object runs the steps
 * it has not seen yet when it starts, before it answers anything.
 */
import type { LockoutState } from './lockout';
import type { AdminLock } from './admin-lock';
import type { FailureLog } from './code-budget';
import type { SessionRecord } from './sessions';
import type { SecretRecord } from './secrets-ledger';
import type { MfaChallenge } from './mfa-challenges';
import type { VerifiedEntry } from './verified-outbox';

/** Single keys. */
export const KEYS = {
  /** The layout this object's storage follows; absent means version 1 (written before versioning). */
  layoutVersion: 'layout_version',
  /** LockoutState: failures, lock end, in-flight sign-in attempts. */
  lockout: 'lockout',
  /** AdminLock: staff said no way in until `until`. */
  adminLock: 'admin_lock',
  /** FailureLog: the daily budget of wrong emailed codes. */
  codeFailures: 'code_failures',
  /** number: the last TOTP time step spent (RFC 6238 §5.2). */
  totpStep: 'mfa:last_totp_step',
  /** true: wrong second-factor codes not yet resolved by a right one (object.ts finishSignIn). */
  mfaFailures: 'mfa:unresolved_failures',
  /**
   * number (ms): the users.updated_at written by the last change a sign-in must not read
   * stale (new password, deactivation, deletion, MFA on, ...). A sign-in decided on a row
   * older than this is answered 'stale' (object.ts, fence.ts). Absent: no fence yet.
   */
  credentialFence: 'credential_fence',
  /**
   * VerifiedEntry: an address verified here whose flag D1 may not have yet (verified-outbox.ts);
   * kept until flushed, then FLUSHED_GRACE_MS longer. A new key: no migration (absent = none).
   */
  verifiedOutbox: 'outbox:email_verified',
} as const;

/** Key families: prefix + id. */
export const PREFIXES = {
  /** session:<session id> → SessionRecord */
  session: 'session:',
  /** secret:<purpose> → SecretRecord ('verify_email', 'otp_login', 'otp_reset') */
  secret: 'secret:',
  /** mfa_challenge:<sha256 of the mfa_token secret> → MfaChallenge */
  mfaChallenge: 'mfa_challenge:',
} as const;

/** The value each key holds. */
export interface Shapes {
  [KEYS.layoutVersion]: number;
  [KEYS.lockout]: LockoutState;
  [KEYS.adminLock]: AdminLock;
  [KEYS.codeFailures]: FailureLog;
  [KEYS.totpStep]: number;
  [KEYS.mfaFailures]: boolean;
  [KEYS.credentialFence]: number;
  [KEYS.verifiedOutbox]: VerifiedEntry;
  [PREFIXES.session]: SessionRecord;
  [PREFIXES.secret]: SecretRecord;
  [PREFIXES.mfaChallenge]: MfaChallenge;
}

/** Object names: `user:<user id>` for an account, `identifier:<sha256 of kind:value>` for a stand-in. */
export const OBJECT_NAMES = { user: 'user:', standIn: 'identifier:' } as const;

export const LAYOUT_VERSION = 1;

/** The storage as a migration step sees it (the object's synchronous KV). */
export type LayoutStore = Pick<SyncKvStorage, 'get' | 'put' | 'delete' | 'list'>;

/** MIGRATIONS[n] turns layout n into n + 1. None yet: version 1 is the first listed layout. */
export const MIGRATIONS: Record<number, (store: LayoutStore) => void> = {};

/**
 * Brings stored state up to LAYOUT_VERSION. An empty or current object is left as it is
 * (nothing is written), so an object with nothing live stays empty and can be deleted.
 */
export function migrate(store: LayoutStore, migrations = MIGRATIONS, target = LAYOUT_VERSION): void {
  let version = store.get<number>(KEYS.layoutVersion) ?? 1;
  if (version >= target) return;
  for (; version < target; version++) {
    const step = migrations[version];
    if (!step) throw new Error(`No migration from storage layout ${version}`);
    step(store);
  }
  store.put(KEYS.layoutVersion, target);
}

/**
 * The pure half of `npm run create-admin`: input checks and the SQL that creates or
 * promotes an admin. No Node or Workers APIs here, so the Worker's own tests can run the
 * SQL against the test D1 and sign in with the result.
 */
import { emailField } from '../src/auth/schemas';
import type { CommonPasswords } from '../src/password/hashing/common-passwords';
import { passwordProblems } from '../src/password/hashing/policy';
import { AUDIT_EVENTS } from '../src/audit/event-types';

export interface AdminInput {
  email: string;
  password: string;
}

/**
 * The normalized email and every reason the input is refused (the registration rules);
 * `common` is the common-password list (public/data/, parseCommonPasswords).
 */
export function checkAdminInput(input: AdminInput, common: CommonPasswords): { email: string; problems: string[] } {
  const email = emailField.safeParse(input.email);
  const problems = email.success ? [] : email.error.issues.map((i) => `email: ${i.message}`);
  problems.push(...passwordProblems(input.password, { email: email.success ? email.data : input.email }, common).map((p) => `password: ${p}`));
  return { email: email.success ? email.data : input.email, problems };
}

export interface ExistingUser {
  id: string;
  role: string;
  deleted_at: number | null;
}

export interface GrantPlan {
  email: string;
  passwordHash: string;
  /** The account with this email, if there is one (soft-deleted included: it still owns the address). */
  existing: ExistingUser | null;
  newId: string;
  eventId: string;
  now: number;
}

/** SQLite string literal. */
export const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Statements that leave exactly one verified, active, live admin with this email and
 * password: a new account (user, profile, password history) or the existing one
 * promoted and restored; either way one `admin_granted_cli` audit event.
 */
export function adminGrantSql(plan: GrantPlan): string[] {
  const { email, passwordHash, existing, now } = plan;
  const id = existing?.id ?? plan.newId;
  const statements = existing
    ? [
        `UPDATE users SET role = 'admin', is_active = 1, email_verified = 1, deleted_at = NULL, password_hash = ${sqlText(passwordHash)}, password_changed_at = ${now}, updated_at = ${now} WHERE id = ${sqlText(id)};`,
      ]
    : [
        `INSERT INTO users (id, email, first_name, last_name, password_hash, role, is_active, email_verified, mfa_enabled, date_joined, password_changed_at, updated_at) VALUES (${sqlText(id)}, ${sqlText(email)}, '', '', ${sqlText(passwordHash)}, 'admin', 1, 1, 0, ${now}, ${now}, ${now});`,
        `INSERT INTO profiles (user_id, updated_at) VALUES (${sqlText(id)}, ${now});`,
      ];
  const metadata = JSON.stringify(existing ? { created: false, previous_role: existing.role, restored: existing.deleted_at !== null } : { created: true });
  statements.push(
    `INSERT INTO password_history (user_id, password_hash, created_at) VALUES (${sqlText(id)}, ${sqlText(passwordHash)}, ${now});`,
    `INSERT INTO audit_events (id, type, severity, user_id, actor_id, ip, user_agent, metadata, created_at) VALUES (${sqlText(plan.eventId)}, 'admin_granted_cli', '${AUDIT_EVENTS.admin_granted_cli}', ${sqlText(id)}, NULL, NULL, 'npm run create-admin', ${sqlText(metadata)}, ${now});`,
  );
  return statements;
}

export const findUserSql = (email: string) => `SELECT id, role, deleted_at FROM users WHERE email = ${sqlText(email)};`;

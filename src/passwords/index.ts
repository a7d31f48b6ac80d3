// Public surface of the passwords capability (implementation in progress).
export interface PasswordContext {
  email?: string | null;
  username?: string | null;
  first_name?: string | null;
  last_name?: string | null;
}

/** Hash for storage: a self-describing string carrying its algorithm and parameters. */
export async function hashPassword(password: string): Promise<string> {
  return `plain$${password}`;
}

export interface VerifyResult {
  ok: boolean;
  /** The hash uses old parameters or a foreign format: store hashPassword(password) now. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  return { ok: stored === `plain$${password}`, needsRehash: false };
}

/** Reasons the password is refused, empty when acceptable (API.md password policy). */
export function passwordProblems(password: string, context: PasswordContext): string[] {
  void context;
  return password.length < 8 ? ['This password is too short. It must contain at least 8 characters.'] : [];
}

/** NFKC, the form hashes and the policy see. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

import { env } from 'cloudflare:workers';
import { api, type ApiResponse, type CallOptions } from './helpers/api';
import { createVerifiedUser, login, type TestUser } from './helpers/users';

export interface SignedInUser extends TestUser {
  role: 'admin' | 'manager' | 'user';
  token: string;
  refresh: string;
}

/** A verified account of the given role, signed in through the API. */
export async function signedIn(role: SignedInUser['role'], overrides: Record<string, unknown> = {}): Promise<SignedInUser> {
  const user = await createVerifiedUser(overrides);
  await setRole(user.id, role);
  const tokens = await login(user);
  return { ...user, role, token: tokens.access, refresh: tokens.refresh };
}

export async function setRole(userId: string, role: SignedInUser['role']): Promise<void> {
  await env.DB.prepare('UPDATE users SET role = ? WHERE id = ?').bind(role, userId).run();
}

/** Calls /api/v1/admin<path> as `who`. */
export function adminApi<T = any>(who: { token: string }, path: string, options: Omit<CallOptions, 'token'> = {}): Promise<ApiResponse<T>> {
  return api<T>(`/api/v1/admin${path}`, { ...options, token: who.token });
}

export async function auditRows(userId: string, type: string) {
  const { results } = await env.DB.prepare('SELECT * FROM audit_events WHERE user_id = ? AND type = ? ORDER BY created_at DESC')
    .bind(userId, type)
    .all<Record<string, any>>();
  return results;
}

import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { api, registration, STRONG_PASSWORD } from './api';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  username?: string;
  phone_number?: string;
}

/** Registers through the API, then marks the address verified (the mail round trip has its own tests). */
export async function createVerifiedUser(overrides: Record<string, unknown> = {}): Promise<TestUser> {
  const body = registration(overrides);
  const res = await api('/api/v1/auth/register', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await env.DB.prepare('UPDATE users SET email_verified = 1 WHERE id = ?').bind(res.body.user.id).run();
  return { id: res.body.user.id, email: body.email, password: STRONG_PASSWORD, username: overrides.username as string | undefined, phone_number: res.body.user.phone_number ?? undefined };
}

export async function login(user: Pick<TestUser, 'email' | 'password'>, extra: Record<string, unknown> = {}) {
  const res = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { access: string; refresh: string; token_type: string; expires_in: number; user: Record<string, unknown> };
}

import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { api, type ApiResponse } from './helpers/api';
import { signedIn, type SignedInUser } from './admin.fixtures';

let admin: SignedInUser | null = null;

/** One admin for the group (signing in costs a password hash). */
export async function badgeAdmin(): Promise<SignedInUser> {
  admin ??= await signedIn('admin');
  return admin;
}

export const uniqueSlug = (prefix = 'b') => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** Creates a badge through the API (unique slug); asserts 201. */
export async function createBadge(fields: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await api('/api/v1/badges', {
    token: (await badgeAdmin()).token,
    body: { name: 'Test badge', category: 'achievement', rarity: 'common', criteria: { type: 'manual' }, slug: uniqueSlug(), ...fields },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function deactivate(badgeId: string): Promise<void> {
  const res = await api(`/api/v1/badges/${badgeId}`, { method: 'PATCH', token: (await badgeAdmin()).token, body: { is_active: false } });
  expect(res.status).toBe(200);
}

export function award(userId: string, badge: string, reason?: string): Promise<ApiResponse> {
  return badgeAdmin().then((a) => api('/api/v1/user-badges', { token: a.token, body: { user_id: userId, badge, ...(reason ? { reason } : {}) } }));
}

export async function heldSlugs(userId: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT b.slug FROM user_badges ub JOIN badges b ON b.id = ub.badge_id WHERE ub.user_id = ?').bind(userId).all<{ slug: string }>();
  return results.map((r) => r.slug);
}

export async function totals(userId: string) {
  return env.DB.prepare('SELECT badge_points, total_badges FROM profiles WHERE user_id = ?').bind(userId).first<{ badge_points: number; total_badges: number }>();
}

/** Polls until `check` passes (queue work lands within milliseconds in tests), else fails with its last error. */
export async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

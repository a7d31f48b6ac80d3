import { env } from 'cloudflare:workers';
import { createVerifiedUser, login } from './users';

export interface SocialUser {
  id: string;
  email: string;
  access: string;
  username: string;
}

let seq = 0;

/** A verified, signed-in user with a unique username. */
export async function socialUser(overrides: Record<string, unknown> = {}): Promise<SocialUser> {
  seq += 1;
  const username = (overrides.username as string | undefined) ?? `u${crypto.randomUUID().slice(0, 8)}${seq}`;
  const user = await createVerifiedUser({ username, ...overrides });
  const { access } = await login(user);
  return { id: user.id, email: user.email, access, username };
}

export async function sql(query: string, ...params: unknown[]) {
  return env.DB.prepare(query).bind(...params).run();
}

export async function setPrivate(userId: string, visibility: 'public' | 'followers' | 'private' = 'private') {
  await sql('UPDATE profiles SET profile_visibility = ? WHERE user_id = ?', visibility, userId);
}

export async function insertFollow(followerId: string, followedId: string, status: 'pending' | 'accepted') {
  await sql("INSERT INTO follows (id, follower_id, followed_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)", crypto.randomUUID(), followerId, followedId, status);
}

export async function insertBlock(blockerId: string, blockedId: string) {
  await sql("INSERT INTO blocks (id, blocker_id, blocked_id, reason, created_at) VALUES (?, ?, ?, '', 0)", crypto.randomUUID(), blockerId, blockedId);
}

export async function counts(userId: string) {
  return env.DB.prepare('SELECT follower_count, following_count FROM profiles WHERE user_id = ?').bind(userId).first<{ follower_count: number; following_count: number }>();
}

/**
 * Sessions and refresh-token rotation (RFC 9700 reuse detection), kept in the user's
 * Durable Object. A refresh token names its session and its generation; the session keeps
 * the current generation and when it last advanced. Presenting:
 * - the current generation rotates (generation + 1);
 * - the previous one within the grace window (two tabs, parallel refreshes) gets tokens
 *   of the current generation for the same session, and revokes nothing;
 * - anything older, or the previous one after the grace window, is theft: the whole
 *   session is revoked.
 */
export interface SessionRecord {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  ip: string;
  userAgent: string | null;
  device: string | null;
  generation: number;
  rotatedAt: number;
  /** Idle expiry: moves forward with every refresh, never past absoluteExpiresAt. */
  expiresAt: number;
  absoluteExpiresAt: number;
}

/** What a client says of its device at sign-in (kept with an mfa_token until the second factor). */
export interface DeviceInput {
  fingerprint_hash: string;
  device_type: string;
  browser: string;
  os: string;
}

export interface SessionPolicy {
  refreshMs: number;
  absoluteMs: number;
  graceMs: number;
}

export interface NewSession {
  ip: string;
  userAgent: string | null;
  device: string | null;
}

/** How a session names its device: what the client said of it, or else its user agent. */
export function describeDevice(device: DeviceInput | null | undefined, userAgent: string | null): string | null {
  if (!device) return userAgent;
  return [device.device_type, device.browser, device.os].filter(Boolean).join(' / ') || userAgent;
}

export type RefreshOutcome =
  | { ok: true; session: SessionRecord; generation: number; rotated: boolean }
  | { ok: false; reason: 'unknown' | 'expired' | 'reuse' };

export function createSession(input: NewSession, policy: SessionPolicy, now: number): SessionRecord {
  const absoluteExpiresAt = now + policy.absoluteMs;
  return {
    id: crypto.randomUUID(),
    createdAt: now,
    lastSeenAt: now,
    ip: input.ip,
    userAgent: input.userAgent,
    device: input.device,
    generation: 0,
    rotatedAt: now,
    expiresAt: Math.min(now + policy.refreshMs, absoluteExpiresAt),
    absoluteExpiresAt,
  };
}

export function isLive(session: SessionRecord, now: number): boolean {
  return now < session.expiresAt && now < session.absoluteExpiresAt;
}

/** Mutates `session` on success; the caller deletes it on 'reuse' or 'expired'. */
export function refresh(
  session: SessionRecord | undefined,
  generation: number,
  client: { ip: string; userAgent: string | null },
  policy: SessionPolicy,
  now: number,
): RefreshOutcome {
  if (!session) return { ok: false, reason: 'unknown' };
  if (!isLive(session, now)) return { ok: false, reason: 'expired' };
  const withinGrace = now - session.rotatedAt <= policy.graceMs;
  const rotated = generation === session.generation;
  if (rotated) {
    session.generation += 1;
    session.rotatedAt = now;
  } else if (!(generation === session.generation - 1 && withinGrace)) {
    return { ok: false, reason: 'reuse' };
  }
  session.lastSeenAt = now;
  session.ip = client.ip;
  session.userAgent = client.userAgent;
  session.expiresAt = Math.min(now + policy.refreshMs, session.absoluteExpiresAt);
  return { ok: true, session, generation: session.generation, rotated };
}

/**
 * Extends a live session without a refresh token (session refresh, auto-renew): its idle
 * expiry moves forward, never past the absolute one. Mutates and returns `session`, or
 * null when it is not live.
 */
export function extend(session: SessionRecord | undefined, policy: SessionPolicy, now: number): SessionRecord | null {
  if (!session || !isLive(session, now)) return null;
  session.lastSeenAt = now;
  session.expiresAt = Math.max(session.expiresAt, Math.min(now + policy.refreshMs, session.absoluteExpiresAt));
  return session;
}

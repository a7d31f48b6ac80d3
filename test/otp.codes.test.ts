import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomDigits } from '../src/crypto/random';
import { attemptCode, issueCode } from '../src/codes/one-time-codes';

afterEach(() => vi.restoreAllMocks());

/** Makes crypto.getRandomValues hand out these 32-bit values, one per call. */
function feedRandom(values: number[]) {
  const queue = [...values];
  return vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    (array as unknown as Uint32Array)[0] = queue.shift()!;
    return array;
  });
}

describe('login and reset codes', () => {
  // 2^32 = 4,294,967,296. Values from 4,294,000,000 up would make the codes 000000–967295
  // one draw more likely than the rest, so they are drawn again.
  it('come from the CSPRNG without modulo bias: draws past the last whole multiple of 10^6 are redrawn', () => {
    const spy = feedRandom([4_294_967_295, 4_294_000_000, 4_293_999_999]);
    expect(randomDigits(6)).toBe('999999');
    expect(spy).toHaveBeenCalledTimes(3);
    feedRandom([42]);
    expect(randomDigits(6)).toBe('000042');
  });

  it('are six digits, spread over all of them', () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const code = randomDigits(6);
      expect(code).toMatch(/^\d{6}$/);
      for (const digit of code) counts[Number(digit)] += 1;
    }
    // 12,000 per digit expected; a biased or constant source lands far outside this band.
    for (const n of counts) expect(Math.abs(n - 12_000)).toBeLessThan(600);
  });

  it('are kept in KV only as a hash, with their expiry', async () => {
    const userId = crypto.randomUUID();
    const now = Date.now();
    const { code, expiresAt } = await issueCode(env, 'reset', userId, now);
    expect(expiresAt).toBe(now + 600_000);
    const stored = await env.KV.get<Record<string, unknown>>(`otp:reset:${userId}`, 'json');
    expect(Object.keys(stored!).sort()).toEqual(['code_hash', 'expires_at', 'generation']);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored!.code_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answer invalid when no code was issued, or for no account', async () => {
    expect(await attemptCode(env, 'login', { userId: crypto.randomUUID(), email: 'issued.none@example.com' }, '123456', Date.now())).toBe('invalid');
    expect(await attemptCode(env, 'login', { userId: null, email: 'no.account@example.com' }, '123456', Date.now())).toBe('invalid');
  });
});

/// <reference types="vite/client" />
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDjangoPbkdf2Hash, PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS, verifyPassword } from '../src/password/hashing';
import { utf8 } from '../src/password/hashing/bytes';
import { pbkdf2Sha256, pbkdf2Sha256WebCrypto } from '../src/password/hashing/pbkdf2';

// Production Workers refuse PBKDF2 above 100,000 iterations; local workerd does not
// (PLATFORM.md "Crypto"), so only these tests stand between a raise and a broken login.

afterEach(() => vi.restoreAllMocks());

/** Every PBKDF2 iteration count handed to WebCrypto while `run` runs. */
async function webCryptoPbkdf2Counts(run: () => Promise<unknown>): Promise<number[]> {
  const spy = vi.spyOn(crypto.subtle, 'deriveBits');
  await run();
  return spy.mock.calls
    .map(([algorithm]) => algorithm as { name?: string; iterations?: number })
    .filter((algorithm) => algorithm.name === 'PBKDF2')
    .map((algorithm) => algorithm.iterations ?? 0);
}

describe('PBKDF2 iteration limit', () => {
  it('pins the iteration counts to what production accepts', () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
  });

  it('the WebCrypto wrapper refuses counts production would refuse', async () => {
    await expect(pbkdf2Sha256WebCrypto(utf8('pw'), utf8('salt'), 100_001, 32)).rejects.toThrow(RangeError);
  });

  it('counts above the limit never reach WebCrypto (pure JS instead); counts within it do', async () => {
    expect(await webCryptoPbkdf2Counts(() => pbkdf2Sha256(utf8('pw'), utf8('salt'), 100_001, 32))).toEqual([]);
    expect(await webCryptoPbkdf2Counts(() => pbkdf2Sha256(utf8('pw'), utf8('salt'), 100_000, 32))).toEqual([100_000]);
  });

  it('no password path calls WebCrypto PBKDF2 above the limit', async () => {
    // One iteration above the limit: the cheapest hash that must not reach WebCrypto.
    const aboveLimit = 'pbkdf2_sha256$100001$Ua1cq8XkSjy2VbHUy6bjSz$UlLdN5I8avThEaVK85220KtczjyRme5xvJ+7KxP6opw=';
    const counts = await webCryptoPbkdf2Counts(async () => {
      expect((await verifyPassword('correct horse battery staple', aboveLimit)).ok).toBe(true);
      await verifyPassword('ｗｒｏｎｇ', aboveLimit); // two candidates: as typed and NFKC
      await verifyPassword('x', await makeDjangoPbkdf2Hash('x'));
      // pbkdf2_sha1 (Django's own hash of 'pw' at 100,001 iterations) takes the same road.
      expect((await verifyPassword('pw', 'pbkdf2_sha1$100001$salt$1rE5ukSmgBjybH4n2Qjggh5Y2hk=')).ok).toBe(true);
    });
    expect(counts.length).toBeGreaterThan(0); // the spy sees the calls that do happen
    for (const count of counts) expect(count).toBeLessThanOrEqual(PBKDF2_MAX_ITERATIONS);
  });

  it('no other source file derives PBKDF2 itself (WebCrypto or node:crypto)', () => {
    const sources = import.meta.glob<string>('../src/**/*.ts', { query: '?raw', import: 'default', eager: true });
    const derivesPbkdf2 = /['"`]PBKDF2['"`]|\bpbkdf2(Sync)?\(/;
    expect(derivesPbkdf2.test(sources['../src/password/hashing/pbkdf2.ts'] ?? '')).toBe(true); // the one allowed place
    const offenders = Object.entries(sources)
      .filter(([path, text]) => path !== '../src/password/hashing/pbkdf2.ts' && derivesPbkdf2.test(text))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});

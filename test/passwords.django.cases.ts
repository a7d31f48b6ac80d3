import { describe, expect, it } from 'vitest';
import { makeDjangoPbkdf2Hash, verifyPassword } from '../src/password/hashing';
import { toBase64, utf8 } from '../src/password/hashing/bytes';
import { DJANGO_MAX_ITERATIONS } from '../src/password/hashing/django';
import { pbkdf2Sha256Js, pbkdf2Sha256WebCrypto } from '../src/password/hashing/pbkdf2';

// Expected values from this machine's Python:
//   base64.b64encode(hashlib.pbkdf2_hmac('sha256', pw.encode(), salt.encode(), iterations))
const PASSWORD = 'correct horse battery staple';
const DJANGO_TEST_VECTOR = 'pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY='; // Django's own test, 'lètmein'
const AT_100K = 'pbkdf2_sha256$100000$Ua1cq8XkSjy2VbHUy6bjSz$VXD4SGvd31vnT6eduNpmyw7cvnDdBriOEZjuHFnGlp4=';
// The fewest iterations that take the pure-JS path (production WebCrypto stops at 100,000):
// cheap checks of that path; AT_1M is the one real high-count verification.
const AT_100K_PLUS_1 = 'pbkdf2_sha256$100001$Ua1cq8XkSjy2VbHUy6bjSz$UlLdN5I8avThEaVK85220KtczjyRme5xvJ+7KxP6opw=';
const AT_1M = 'pbkdf2_sha256$1000000$Ua1cq8XkSjy2VbHUy6bjSz$OTfd+AFiBArpelmoq8YZjg4DNqEskFMGU9gkIbPO0Ms='; // Django 5.2 default

describe('Django pbkdf2_sha256 hashes', () => {
  it("verifies Django's own test vector, including a non-ASCII password, and asks for a rehash", async () => {
    expect(await verifyPassword('lètmein', DJANGO_TEST_VECTOR)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword('letmein', DJANGO_TEST_VECTOR)).toEqual({ ok: false, needsRehash: false });
  });

  it('verifies at 100,000 (WebCrypto), 100,001 and 1,000,000 iterations (pure JS, Django 5.2 default)', async () => {
    for (const stored of [AT_100K, AT_100K_PLUS_1, AT_1M]) {
      expect(await verifyPassword(PASSWORD, stored)).toEqual({ ok: true, needsRehash: true });
    }
    expect(await verifyPassword('Correct horse battery staple', AT_100K_PLUS_1)).toEqual({ ok: false, needsRehash: false });
  });

  it('verifies a Django hash of the NFKC form when the password is typed in fullwidth', async () => {
    const stored = 'pbkdf2_sha256$1000$wideSalt$7d4osC3cDFdNMqADD3jT7N78ISCK/IRL7X0YhgcsUBY='; // 'password123'
    expect((await verifyPassword('ｐａｓｓｗｏｒｄ１２３', stored)).ok).toBe(true);
  });

  it('verifies the unnormalized form Django hashed (a decomposed accent)', async () => {
    const stored = 'pbkdf2_sha256$1000$nfcsalt$t0Nsw4FtvzXbTN6qg0jQDXzpwpn7zy7G0jVYH9+SmQE='; // 'motdepasse-é', composed
    expect((await verifyPassword('motdepasse-é', stored)).ok).toBe(true);
    expect((await verifyPassword('motdepasse-e\u0301', stored)).ok).toBe(true);
  });

  it('refuses tampered and malformed Django hashes without throwing', async () => {
    const [, , salt, key] = AT_100K.split('$');
    const bad = [
      `pbkdf2_sha256$99999$${salt}$${key}`,
      `pbkdf2_sha256$100000$${salt}x$${key}`,
      `pbkdf2_sha256$100000$${salt}$${key!.replace('V', 'W')}`,
      `pbkdf2_sha256$0$${salt}$${key}`,
      `pbkdf2_sha256$-1$${salt}$${key}`,
      `pbkdf2_sha256$${DJANGO_MAX_ITERATIONS + 1}$${salt}$${key}`,
      `pbkdf2_sha256$100000$$${key}`,
      `pbkdf2_sha256$100000$${salt}$`,
      `pbkdf2_sha256$100000$${salt}$${key}$`,
      `pbkdf2_sha256$100000$${salt}$AAAA`,
      `pbkdf2_sha1$100000$${salt}$${key}`,
    ];
    for (const stored of bad) {
      await expect(verifyPassword(PASSWORD, stored), stored).resolves.toEqual({ ok: false, needsRehash: false });
    }
  });

  it('makeDjangoPbkdf2Hash writes what Django writes', async () => {
    expect(await makeDjangoPbkdf2Hash('lètmein', 'seasalt', 30000)).toBe(DJANGO_TEST_VECTOR);
    const made = await makeDjangoPbkdf2Hash(PASSWORD);
    expect(made).toMatch(/^pbkdf2_sha256\$100000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyPassword(PASSWORD, made)).toEqual({ ok: true, needsRehash: true });
    await expect(makeDjangoPbkdf2Hash(PASSWORD, 'a$b')).rejects.toThrow(TypeError);
  });
});

describe('pure-JS PBKDF2-HMAC-SHA256', () => {
  // The high-count check against Python is AT_1M above (verifyPassword runs this code).
  it('matches Python hashlib at 100,001 iterations', () => {
    expect(toBase64(pbkdf2Sha256Js(utf8('pw'), utf8('salt'), 100_001, 32))).toBe('qhMfdRSxNPK09AbZ2GN8Y/52DAAZi933cqe/g6sjcMQ=');
  });

  it('matches Python for a key longer than a block and for multi-block outputs', () => {
    expect(toBase64(pbkdf2Sha256Js(utf8('k'.repeat(100)), utf8('salt'), 1000, 32))).toBe('2JodtR2sAQ7LnmQcbA4BsG9OO5dD+MN8lGNs91r/Lfs=');
    expect(toBase64(pbkdf2Sha256Js(utf8('pw'), utf8('salt'), 2, 64))).toBe(
      'Bh32FjQ8uYgwcXLiwwdL5j6VOygjfqlhhPaki+x6ilXy5sSGfKw08/m+gGxPcynYzSBZWIB5FirdSUcEuGf/lA==',
    );
    expect(toBase64(pbkdf2Sha256Js(utf8('pw'), utf8('salt'), 3, 40))).toBe('PGcSNOOGyzByINcO4VxJhRYLio26YvJHABsHl0rVLtF4W/NLWqXdWA==');
  });

  it('equals WebCrypto for assorted inputs up to the production limit', async () => {
    const cases: [string, Uint8Array, number, number][] = [
      ['', utf8('salt'), 1, 32],
      ['p', new Uint8Array(0), 2, 32],
      ['x'.repeat(63), utf8('s'), 10, 32],
      ['x'.repeat(64), utf8('s'), 10, 32],
      ['x'.repeat(65), utf8('s'), 10, 32],
      ['pässwörd 🔑', crypto.getRandomValues(new Uint8Array(16)), 1000, 48],
      ['y', crypto.getRandomValues(new Uint8Array(119)), 4096, 96], // salt+counter spans 2 blocks
      [PASSWORD, utf8('Ua1cq8XkSjy2VbHUy6bjSz'), 100_000, 32],
    ];
    for (const [password, salt, iterations, length] of cases) {
      const native = await pbkdf2Sha256WebCrypto(utf8(password), salt, iterations, length);
      expect(pbkdf2Sha256Js(utf8(password), salt, iterations, length), `${password}/${iterations}`).toEqual(native);
    }
  });
});

import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { signAccessToken, verifyAccessToken } from '../src/tokens';

// Was tokens.cost.test.ts (timed 300 signs and verifies against a 20 ms bound, meant to
// catch "re-importing keys per call"); the timings are now `npm run bench`, and this
// checks the cause directly: keys are imported once per secret, not per call.

const SUBJECT = { sub: 'user-1', sid: 'session-1', role: 'user', email_verified: true } as const;
const ROUNDS = 20;

afterEach(() => vi.restoreAllMocks());

describe('signing keys are imported once per secret (warm isolate)', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`${alg}: repeated signs and verifies import no key; a changed secret is imported afresh`, async () => {
      const { privateKey } = alg === 'EdDSA' ? await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }) : await generateKeyPair('ES256', { extractable: true });
      const e = { ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'k', alg }] }) };
      const now = Date.now();
      const importKey = vi.spyOn(crypto.subtle, 'importKey');
      const token = await signAccessToken(e, SUBJECT, now);
      const firstImports = importKey.mock.calls.length;
      expect(firstImports).toBeGreaterThan(0); // the spy sees the imports that do happen

      for (let i = 0; i < ROUNDS; i++) {
        await signAccessToken(e, SUBJECT, now);
        expect((await verifyAccessToken(e, token, now)).sub).toBe(SUBJECT.sub);
      }
      expect(importKey.mock.calls.length).toBe(firstImports);

      await signAccessToken({ ...e, JWT_PRIVATE_JWKS: e.JWT_PRIVATE_JWKS.replace('{', '{ ') }, SUBJECT, now);
      expect(importKey.mock.calls.length).toBeGreaterThan(firstImports);
    });
  }
});

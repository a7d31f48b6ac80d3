import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { signAccessToken, verifyAccessToken } from '../src/tokens';

const SUBJECT = { sub: 'user-1', sid: 'session-1', role: 'user', email_verified: true } as const;
const ROUNDS = 300;

// workerd advances its clock only on I/O (a Spectre mitigation), so each measurement is
// fenced by a D1 round trip; with hundreds of rounds that overhead is negligible.
async function timed(run: () => Promise<unknown>): Promise<number> {
  await env.DB.prepare('SELECT 1').first();
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) await run();
  await env.DB.prepare('SELECT 1').first();
  return (performance.now() - start) / ROUNDS;
}

describe('cost of one sign and one verify (warm isolate, keys cached)', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(alg, async () => {
      const { privateKey } = alg === 'EdDSA' ? await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true }) : await generateKeyPair('ES256', { extractable: true });
      const e = { ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'k', alg }] }) };
      const now = Date.now();
      const token = await signAccessToken(e, SUBJECT, now); // imports and caches the keys
      const sign = await timed(() => signAccessToken(e, SUBJECT, now));
      const verify = await timed(() => verifyAccessToken(e, token, now));
      // Cold: a secret text not seen before, so parse + import + self-check happen first.
      let n = 0;
      const cold = await timed(() => signAccessToken({ ...e, JWT_PRIVATE_JWKS: e.JWT_PRIVATE_JWKS.replace('{', `{${' '.repeat(++n)}`) }, SUBJECT, now));
      console.log(`[tokens cost] ${alg}: sign ${sign.toFixed(3)} ms, verify ${verify.toFixed(3)} ms, first sign after a secret change ${cold.toFixed(3)} ms (means of ${ROUNDS})`);
      // Generous bounds: only catches something pathological, like re-importing keys per call.
      expect(sign).toBeLessThan(20);
      expect(verify).toBeLessThan(20);
    });
  }
});

import { sha256Hex } from '../crypto/hash';
import { base32Encode } from './base32';

/**
 * Ten one-time recovery codes, shown once. Each is 80 random bits written as 16 base32
 * letters in groups of four (`abcd-efgh-ijkl-mnop`): no 0/1/8/9, so nothing to confuse
 * with O, I, l or B. 80 bits make an unsalted fast hash safe to store (no guessing a
 * leaked hash back); the user id is mixed in anyway so equal codes never hash equal.
 */
export const RECOVERY_CODE_COUNT = 10;
const CODE_BYTES = 10;
const SHAPE = /^[a-z2-7]{16}$/;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = base32Encode(crypto.getRandomValues(new Uint8Array(CODE_BYTES)), { pad: false }).toLowerCase();
    return text.match(/.{4}/g)!.join('-');
  });
}

/** The code as stored and compared: lower case, without the dashes and spaces people type. */
export function normalizeRecoveryCode(code: string): string | null {
  const plain = code.replace(/[\s-]/g, '').toLowerCase();
  return SHAPE.test(plain) ? plain : null;
}

export function hashRecoveryCode(userId: string, normalized: string): Promise<string> {
  return sha256Hex(`mfa-recovery:${userId}:${normalized}`);
}

/** A submitted second factor: six digits (spaces allowed, as apps show "123 456") or a recovery code. */
export type SubmittedCode = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string } | null;

export function classifyCode(code: string): SubmittedCode {
  const digits = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(digits)) return { kind: 'totp', code: digits };
  const recovery = normalizeRecoveryCode(code);
  return recovery ? { kind: 'recovery', code: recovery } : null;
}

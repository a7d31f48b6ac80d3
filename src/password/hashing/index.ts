// Passwords capability: hashing (scrypt; imported Django PBKDF2 verified), and the policy.
export { hashPassword, verifyPassword, dummyVerify, type VerifyResult } from './hash';
export { normalizePassword } from './normalize';
export {
  passwordProblems,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MESSAGES,
  PASSWORD_MIN_LENGTH,
  type PasswordContext,
} from './policy';
export { addPasswordIssues } from './zod';
export { commonPasswords, parseCommonPasswords, type CommonPasswords } from './common-passwords';
export { SCRYPT_N, SCRYPT_P, SCRYPT_R } from './scrypt';
export { PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS } from './pbkdf2';
export { makeDjangoPbkdf2Hash } from './django';

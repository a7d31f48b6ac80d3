// Two-factor authentication (TOTP + recovery codes): the public surface.
export { mfaRoutes } from './routes';
export { completeMfaSignIn } from './sign-in';
export { issueMfaToken, MFA_TOKEN_TTL_MS } from '../sign-in/mfa-token';

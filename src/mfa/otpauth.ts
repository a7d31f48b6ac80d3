import { TOTP_DIGITS, TOTP_PERIOD_SEC } from './totp';

/**
 * The Key URI an authenticator app reads from a QR code (Google Authenticator's "Key Uri
 * Format"): label "Issuer:account", the issuer repeated as a parameter (apps that read
 * only one of them agree), and the parameters spelled out even where they are defaults.
 */
export function otpauthUri(issuer: string, account: string, secretBase32: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = [
    `secret=${secretBase32}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SEC}`,
  ];
  return `otpauth://totp/${label}?${params.join('&')}`;
}

import { maskEmail } from '../http/log';

const EMAIL_LIKE = /[^\s<>"'@,;:]+@[^\s<>"'@,;:]+/g;
const MAX_LENGTH = 300;

/**
 * An error as text fit for logs and the mail_failures table: addresses masked, length
 * capped. Our own errors carry no secrets; this guards against a library quoting input.
 */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(EMAIL_LIKE, (address) => maskEmail(address)).slice(0, MAX_LENGTH);
}

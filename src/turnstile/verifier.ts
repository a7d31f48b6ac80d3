import { ConfigError } from '../config/config';

/**
 * Server-side check of a Cloudflare Turnstile token (siteverify). Injectable the way
 * src/clock.ts makes time injectable: tests swap the verifier (setTurnstileVerifier) and
 * need no network; the Worker and its tests share one isolate, so the swap reaches both.
 */
export interface TurnstileCheck {
  secret: string;
  token: string;
  /** The client's address, when known: siteverify may use it as a signal. */
  remoteIp?: string;
}

export type TurnstileOutcome = 'valid' | 'invalid';

export interface TurnstileVerifier {
  /** 'valid' or 'invalid'; throws TurnstileUnavailableError when no answer could be had. */
  verify(check: TurnstileCheck): Promise<TurnstileOutcome>;
}

/** siteverify could not be reached or did not answer usably: the caller fails closed. */
export class TurnstileUnavailableError extends Error {
  override name = 'TurnstileUnavailableError';
}

export const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
const SITEVERIFY_TIMEOUT_MS = 5_000;

/** Error codes that mean our secret is wrong, not the client's token (Cloudflare docs). */
const SECRET_ERRORS = new Set(['missing-input-secret', 'invalid-input-secret']);

interface SiteverifyAnswer {
  success?: unknown;
  'error-codes'?: unknown;
}

/** The real verifier: POSTs secret, response and remoteip to siteverify. */
export function siteverifyVerifier(send: typeof fetch = (input, init) => fetch(input, init)): TurnstileVerifier {
  return {
    async verify({ secret, token, remoteIp }) {
      const form = new FormData();
      form.append('secret', secret);
      form.append('response', token);
      if (remoteIp) form.append('remoteip', remoteIp);
      const answer = await ask(send, form);
      if (answer.success === true) return 'valid';
      const codes = Array.isArray(answer['error-codes']) ? answer['error-codes'].map(String) : [];
      if (codes.some((code) => SECRET_ERRORS.has(code))) throw new ConfigError(`TURNSTILE_SECRET was refused by siteverify (${codes.join(', ')})`);
      if (codes.includes('internal-error')) throw new TurnstileUnavailableError('siteverify reported an internal error');
      return 'invalid';
    },
  };
}

async function ask(send: typeof fetch, form: FormData): Promise<SiteverifyAnswer> {
  let res: Response;
  try {
    res = await send(SITEVERIFY_URL, { method: 'POST', body: form, signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS) });
  } catch (err) {
    throw new TurnstileUnavailableError(`siteverify unreachable: ${(err as Error)?.name ?? 'error'}`);
  }
  if (!res.ok) throw new TurnstileUnavailableError(`siteverify answered ${res.status}`);
  try {
    return (await res.json()) as SiteverifyAnswer;
  } catch {
    throw new TurnstileUnavailableError('siteverify answered something other than JSON');
  }
}

const defaultVerifier = siteverifyVerifier();
let current: TurnstileVerifier = defaultVerifier;

export const turnstileVerifier: TurnstileVerifier = { verify: (check) => current.verify(check) };

export function setTurnstileVerifier(next: TurnstileVerifier | null): void {
  current = next ?? defaultVerifier;
}

import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code the API answers with, and its HTTP status (docs/API.md). */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  otp_invalid: 400,
  token_invalid: 400,
  password_reused: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  email_not_verified: 403,
  account_disabled: 403,
  forbidden: 403,
  captcha_required: 403,
  captcha_invalid: 403,
  mfa_enrollment_required: 403,
  account_suspended: 403,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  username_taken: 409,
  phone_taken: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  invalid_json: 'The request body is not valid JSON.',
  validation_failed: 'Some fields are invalid.',
  otp_invalid: 'The code is invalid or has expired.',
  token_invalid: 'The token is invalid or has expired.',
  password_reused: 'This password was used recently; choose another.',
  unauthorized: 'Authentication is required.',
  invalid_credentials: 'Invalid credentials.',
  email_not_verified: 'The email address has not been verified.',
  account_disabled: 'This account is disabled.',
  forbidden: 'You do not have permission to do this.',
  captcha_required: 'A bot check (Turnstile) token is required: send it as cf-turnstile-response.',
  captcha_invalid: 'The bot check (Turnstile) token is invalid, expired or already used; solve the check again.',
  mfa_enrollment_required: 'Turn on two-factor authentication for your account before using the admin tools.',
  account_suspended: 'This account is suspended: it can sign in and read, but not act socially.',
  not_found: 'Not found.',
  method_not_allowed: 'Method not allowed.',
  email_taken: 'An account with this email already exists.',
  username_taken: 'This username is taken.',
  phone_taken: 'This phone number is taken.',
  conflict: 'This already exists.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'Request bodies must be application/json.',
  account_locked: 'Too many failed attempts; try again later.',
  rate_limited: 'Too many requests; try again later.',
  internal: 'Something went wrong on our side.',
  service_unavailable: 'The service is not configured to serve requests.',
};

export type FieldErrors = Record<string, string[]>;

/** The one error type routes throw; app.onError maps it to the JSON error shape. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message?: string, options: { fields?: FieldErrors; retryAfter?: number } = {}) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = 'ApiError';
    this.code = code;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

export function validationError(fields: FieldErrors, message?: string): ApiError {
  return new ApiError('validation_failed', message, { fields });
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldErrors; request_id: string };
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields ? { fields: error.fields } : {}),
      request_id: requestId,
    },
  };
}

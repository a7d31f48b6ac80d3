import type { Hono } from 'hono';
import { generateSpecs } from 'hono-openapi';
import type { AppEnv } from '../http/context';

/** The routes that are not the JSON API, so not in the document (docs/OPENAPI.md). */
export const UNDOCUMENTED_PREFIXES = ['/admin', '/dev', '/docs', '/openapi.json'] as const;

// The replaced apps' paths (compat/aliases.ts ROUTE_ALIASES) are not operations of their own:
// the router rewrites each to its target before matching, so it has the target's body,
// answers and errors. Listing them would repeat those operations under other names; the
// description below points to README's table of them instead.

export const TAGS = [
  { name: 'auth', description: 'Registration, email verification and password sign-in.' },
  { name: 'otp', description: 'Passwordless sign-in with an emailed code.' },
  { name: 'sessions', description: 'Tokens, refresh rotation, sign-out and the session list.' },
  { name: 'password', description: 'Password reset by email and password change.' },
  { name: 'mfa', description: 'Two-factor authentication (TOTP and recovery codes).' },
  { name: 'me', description: 'The signed-in account.' },
  { name: 'profiles', description: 'Public profiles, subject to visibility and blocks.' },
  { name: 'settings', description: 'Privacy and notification settings.' },
  { name: 'follows', description: 'Following, follow requests and follower lists.' },
  { name: 'blocks', description: 'Blocking other accounts.' },
  { name: 'professional', description: 'Professional profiles.' },
  { name: 'admin', description: 'Staff API (admin and manager roles; what each may do is in src/admin/permissions.ts).' },
  { name: 'badges', description: 'Badge definitions, awards, the leaderboard and progress.' },
  { name: 'events', description: 'The account\'s own events, client events and content events from other services.' },
  { name: 'keys', description: 'Public signing keys (JWKS).' },
  { name: 'health', description: 'Liveness.' },
];

const DOCUMENTATION = {
  info: {
    title: 'Gatehouse API',
    version: '1',
    description:
      'Accounts, authentication and a social layer on Cloudflare Workers. Every error answers ' +
      '`{"error": {"code", "message", "fields"?, "request_id"}}`; the codes are listed in the `Error` schema. ' +
      'Generated from the routes\' zod schemas; docs/API.md is the same document as text. ' +
      'The paths of the replaced Django apps answer as aliases of these operations (README, "Coming from Django").',
  },
  tags: TAGS,
  components: {
    securitySchemes: {
      bearer: { type: 'http' as const, scheme: 'bearer', bearerFormat: 'JWT', description: 'The `access` token of a sign-in or refresh answer.' },
      service: { type: 'http' as const, scheme: 'bearer', description: 'The SERVICE_TOKEN secret shared with the services that send content events.' },
    },
  },
};

/** The OpenAPI 3.1 document of `app`, from the `documented()` and `validate()` marks on its routes. */
export function openApiDocument(app: Hono<AppEnv>) {
  return generateSpecs(app as unknown as Hono, { documentation: DOCUMENTATION, defaultValidationErrorResponse: false, excludeStaticFile: false, exclude: [...UNDOCUMENTED_PREFIXES].map((p) => new RegExp(`^${p.replace('.', '\\.')}(/|$)`)) });
}

import type { Hono } from 'hono';
import { findTargetHandler } from 'hono/utils/handler';
import { describeRoute, generateSpecs, resolver, uniqueSymbol } from 'hono-openapi';
import * as z from 'zod';
import type { AppEnv } from '../http/context';
import { ERROR_STATUS } from '../http/errors';
import { OPENAPI_MARK, type OpenApiMark, type RouteDoc } from '../http/openapi';

// Builds the OpenAPI document from the routes. Not part of the Worker bundle (src/index.ts
// does not import it): `npm run docs:api` runs it (src/openapi/docs-entry.ts) and writes
// docs/openapi.json, which the Worker's static assets serve at /openapi.json; the tests
// build it too and fail when docs/openapi.json is not current (test/openapi.reference.cases.ts).

/** The routes that are not the JSON API, so not in the document (docs/OPENAPI.md). */
export const UNDOCUMENTED_PREFIXES = ['/admin', '/dev', '/docs'] as const;

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

/** The one error shape of every 4xx and 5xx (http/errors.ts errorBody). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional().describe('Per-field messages of validation_failed; errors of the body as a whole are under non_field_errors.'),
      request_id: z.string(),
    }),
  })
  .meta({ id: 'Error' });

const errorContent = { 'application/json': { schema: resolver(errorBodySchema) } };
const ERROR_RESPONSES = {
  '4XX': { description: 'Client error, in the one error shape (code, message, fields, request_id).', content: errorContent },
  '5XX': { description: 'Server error (internal, service_unavailable), in the one error shape.', content: errorContent },
};

const DESCRIPTIONS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

/** A documented() route's operation, as hono-openapi's describeRoute takes it; every operation gets the error shape. */
function describedRoute(doc: RouteDoc) {
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(doc.responses)) {
    responses[status] =
      schema === null || schema === undefined
        ? { description: DESCRIPTIONS[Number(status)] }
        : { description: DESCRIPTIONS[Number(status)], content: { 'application/json': { schema: resolver(schema) } } };
  }
  return describeRoute({
    tags: doc.tags,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    security: doc.auth === 'none' ? [] : [{ [doc.auth]: [] }],
    ...(doc.requestBody ? { requestBody: { required: doc.requestBody.required, content: { 'application/json': { schema: resolver(doc.requestBody.schema) } } } } : {}),
    responses: { ...responses, ...ERROR_RESPONSES } as never,
  });
}

/** hono-openapi's mark for a handler that documented() or validate() marked (http/openapi.ts), as its describeRoute and validator leave. */
function honoOpenApiMark(handler: unknown): unknown {
  const mark = (findTargetHandler(handler as never) as { [OPENAPI_MARK]?: OpenApiMark })[OPENAPI_MARK];
  if (!mark) return undefined;
  if ('doc' in mark) return (describedRoute(mark.doc) as unknown as Record<typeof uniqueSymbol, unknown>)[uniqueSymbol];
  return { target: mark.request.target, ...resolver(mark.request.schema) };
}

/**
 * The OpenAPI 3.1 document of `app`, from the `documented()` and `validate()` marks on its
 * routes. hono-openapi reads only `routes`; it gets them with its own marks in place of
 * ours, the app's handlers untouched.
 */
export function openApiDocument(app: Hono<AppEnv>) {
  const routes = app.routes.map((route) => {
    const mark = honoOpenApiMark(route.handler);
    return mark ? { ...route, handler: { [uniqueSymbol]: mark } } : route;
  });
  return generateSpecs({ routes } as unknown as Hono, { documentation: DOCUMENTATION, defaultValidationErrorResponse: false, excludeStaticFile: false, exclude: [...UNDOCUMENTED_PREFIXES].map((p) => new RegExp(`^${p.replace('.', '\\.')}(/|$)`)) });
}

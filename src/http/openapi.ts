import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';

/**
 * Documenting a route (docs/OPENAPI.md): put `documented({...})` first in its handler list.
 * The request side comes from `validate()` (http/validate.ts), which carries its zod schema
 * into the document; this adds what only the route knows: tags, summary, who may call it,
 * and the zod schema of each success answer. Every operation also gets the one error shape.
 */
export interface RouteDoc {
  tags: [string, ...string[]];
  summary: string;
  description?: string;
  /** `bearer`: an access token (Authorization: Bearer). `service`: the SERVICE_TOKEN of another service. `none`: anyone. */
  auth: 'bearer' | 'service' | 'none';
  /**
   * The JSON body of a route that reads it by hand rather than through `validate()` (which
   * documents its own): the schema it parses with, so the document and the route agree.
   */
  requestBody?: { schema: z.ZodType; required: boolean };
  /** Success statuses and their bodies; `null` is an answer without a body (204). */
  responses: Partial<Record<200 | 201 | 202 | 204, z.ZodType | null>>;
}

/** `{message}`: the answer of actions that only confirm. */
export const messageSchema = z.object({ message: z.string() });

/**
 * What documented() and validate() leave on their middleware for the document: plain data,
 * read by src/openapi/document.ts, which turns it into hono-openapi's marks when it builds
 * the document (`npm run docs:api`, the tests). So the Worker bundle carries no generator:
 * it serves the committed document, docs/openapi.json, as a static asset.
 */
export const OPENAPI_MARK = Symbol('openapi');
export type OpenApiMark = { doc: RouteDoc } | { request: { target: string; schema: z.ZodType } };

export function documented(doc: RouteDoc) {
  const middleware: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  return Object.assign(middleware, { [OPENAPI_MARK]: { doc } satisfies OpenApiMark });
}

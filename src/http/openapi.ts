import { describeRoute, resolver } from 'hono-openapi';
import * as z from 'zod';
import { ERROR_STATUS } from './errors';

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

/** `{message}`: the answer of actions that only confirm. */
export const messageSchema = z.object({ message: z.string() });

const errorContent = { 'application/json': { schema: resolver(errorBodySchema) } };
const ERROR_RESPONSES = {
  '4XX': { description: 'Client error, in the one error shape (code, message, fields, request_id).', content: errorContent },
  '5XX': { description: 'Server error (internal, service_unavailable), in the one error shape.', content: errorContent },
};

const DESCRIPTIONS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

export function documented(doc: RouteDoc) {
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

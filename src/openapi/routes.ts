import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { openApiDocument } from './document';

/** GET /openapi.json: public, built once per isolate from the routes of `app`. */
export function openApiRoutes(app: Hono<AppEnv>) {
  let document: Promise<unknown> | undefined;
  return new Hono<AppEnv>().get('/openapi.json', async (c) => {
    document ??= openApiDocument(app);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await document);
  });
}

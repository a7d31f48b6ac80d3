// The Worker `npm run docs:api` runs (scripts/docs-api.mjs, wrangler dev with a config of its
// own: no bindings, no static assets) to build the OpenAPI document from the app's routes.
// Not the deployed Worker: src/index.ts does not import the generator (src/openapi/document.ts),
// and serves the committed document as a static asset instead.
import { createApp } from '../app';
import { openApiDocument } from './document';

export default {
  async fetch(): Promise<Response> {
    return Response.json(await openApiDocument(createApp()));
  },
};

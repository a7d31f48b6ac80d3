import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import committedJson from '../docs/openapi.json?raw';
import { createApp } from '../src/app';
import { UNDOCUMENTED_PREFIXES } from '../src/openapi/document';
import { api } from './helpers/api';
import { routesDocument } from './helpers/openapi';
import { OpenApi31Validator } from './helpers/openapi-validator';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** Hono's /:id -> OpenAPI's /{id}; a trailing slash of a mounted "/" route dropped. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
const excluded = (path: string) => UNDOCUMENTED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/** Every METHOD + path the app answers, from Hono's own route table (middleware is method ALL). */
function appOperations(): string[] {
  const operations = createApp()
    .routes.filter((route) => route.method !== 'ALL' && !excluded(route.path))
    .map((route) => `${route.method} ${openApiPath(route.path)}`);
  return [...new Set(operations)].sort();
}

describe('GET /openapi.json', () => {
  it('is public JSON from the static assets: docs/openapi.json as committed (else: node scripts/copy-docs-assets.mjs)', async () => {
    const res = await env.ASSETS.fetch('https://assets.invalid/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    // public/_headers: what the Worker's own answers carry, as the document was one of them.
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(await res.text()).toBe(committedJson);
  });

  it('is an OpenAPI 3.1 document that @seriousme/openapi-schema-validator accepts', async () => {
    const doc = await routesDocument();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new OpenApi31Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is not built by the Worker: its bundle carries no generator, and the Worker has no such route', async () => {
    expect((await api('/openapi.json')).status).toBe(404);
  });

  it('the validator is not a rubber stamp: it refuses a broken document', async () => {
    const broken = structuredClone(await routesDocument()) as any;
    broken.paths['/api/v1/auth/login'].post.responses = 'none';
    expect((await new OpenApi31Validator().validate(broken)).valid).toBe(false);
  });

  it('documents every route of the app, and nothing the app does not answer', async () => {
    const doc = await routesDocument();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const routes = appOperations();
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => !documented.includes(r)), 'routes without documented({...}) (see docs/OPENAPI.md)').toEqual([]);
    expect(documented.filter((d) => !routes.includes(d)), 'documented operations the app does not have').toEqual([]);
  });

  it('gives every operation a tag, a summary, its security, a success response with a schema and the error shape', async () => {
    const doc = await routesDocument();
    const tagNames = (doc as any).tags.map((t: { name: string }) => t.name);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as [string, any][]) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.tags?.length, where).toBeGreaterThan(0);
        for (const tag of op.tags) expect(tagNames, where).toContain(tag);
        expect(op.summary, where).toBeTruthy();
        expect(op.security, where).toBeDefined();
        const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
        expect(success.length, where).toBeGreaterThan(0);
        for (const status of success) {
          if (status !== '204') expect(op.responses[status].content?.['application/json']?.schema, `${where} ${status}`).toBeDefined();
        }
        expect(op.responses['4XX'].content['application/json'].schema, where).toEqual({ $ref: '#/components/schemas/Error' });
        expect(op.responses['5XX'].content['application/json'].schema, where).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('says which operations need a bearer token: the account routes do, sign-in does not', async () => {
    const doc = await routesDocument();
    expect(doc.paths['/api/v1/auth/me']!.get!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/follows']!.post!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/admin/users']!.get!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/auth/login']!.post!.security).toEqual([]);
    expect((doc as any).components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('declares the bodies that routes parse by hand, and the service token of content ingestion', async () => {
    const doc = (await routesDocument()) as any;
    const ingestion = doc.paths['/api/v1/internal/events'].post;
    expect(ingestion.security).toEqual([{ service: [] }]);
    expect(doc.components.securitySchemes.service).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(ingestion.requestBody.required).toBe(true);
    expect(ingestion.requestBody.content['application/json'].schema.anyOf).toEqual([{ $ref: '#/components/schemas/ContentEvent' }, { $ref: '#/components/schemas/ContentEventBatch' }]);
    expect(doc.components.schemas.ContentEvent.required).toEqual(expect.arrayContaining(['event_type', 'user_id']));
    const revoke = doc.paths['/api/v1/admin/user-badges/{id}'].delete.requestBody;
    expect(revoke.required).toBe(false);
    expect(Object.keys(revoke.content['application/json'].schema.properties)).toEqual(['reason']);
  });

  it('takes request schemas from the routes\' own zod schemas (body, query and path)', async () => {
    const doc = (await routesDocument()) as any;
    const register = doc.paths['/api/v1/auth/register'].post.requestBody.content['application/json'].schema;
    // email is optional since issue 16 (an account may sign up with a username and a phone instead).
    expect(register.required).toEqual(expect.arrayContaining(['password', 'password_confirm']));
    expect(register.properties).toHaveProperty('email');
    expect(register.properties.username.anyOf[0].pattern).toBeDefined();
    const users = doc.paths['/api/v1/admin/users'].get.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`);
    expect(users).toEqual(expect.arrayContaining(['query:page', 'query:page_size']));
    const follow = doc.paths['/api/v1/follows/{id}'].delete.parameters;
    expect(follow).toContainEqual(expect.objectContaining({ in: 'path', name: 'id', required: true }));
  });
});

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { createApp } from '../../src/app';
import { openApiDocument } from '../../src/openapi/document';
import { api, type ApiResponse, type CallOptions } from './api';

/** The OpenAPI document, as far as the tests read it. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}
interface Operation {
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  requestBody?: unknown;
  parameters?: unknown[];
}

let built: Promise<OpenApiDocument> | undefined;
/**
 * The document built from the app's routes (src/openapi/document.ts), once per test file:
 * what docs/openapi.json, which the Worker's static assets serve, must be.
 */
export function routesDocument(): Promise<OpenApiDocument> {
  built ??= openApiDocument(createApp()) as Promise<unknown> as Promise<OpenApiDocument>;
  return built;
}

let validator: Promise<{ ajv: Ajv2020; doc: OpenApiDocument }> | undefined;
function documentValidator() {
  validator ??= routesDocument().then((doc) => {
    // The whole document under one id: the responses' $refs (#/components/...) resolve in it.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
    return { ajv, doc };
  });
  return validator;
}

/** The document's path template that `path` (no query) falls under, e.g. /api/v1/follows/{id}. */
export function templateOf(doc: OpenApiDocument, path: string): string | undefined {
  const bare = path.split('?')[0]!.replace(/\/$/, '') || '/';
  return Object.keys(doc.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** "METHOD /template" of every operation whose success answer a test has checked (this file's run). */
export const checkedSuccesses = new Set<string>();

/**
 * Fails unless the answer is what the document says this operation answers with this
 * status: its JSON schema for a documented success status (or no body for 204), the
 * error schema for 4xx/5xx.
 */
export async function expectDocumented(method: string, path: string, res: ApiResponse): Promise<void> {
  const { ajv, doc } = await documentValidator();
  const template = templateOf(doc, path);
  expect(template, `${method} ${path} is not in the document`).toBeDefined();
  const operation = doc.paths[template!]![method.toLowerCase()];
  expect(operation, `${method} ${template} is not in the document`).toBeDefined();
  const status = String(res.status);
  const key = status in operation!.responses ? status : `${status[0]}XX`;
  const response = operation!.responses[key];
  expect(response, `${method} ${template} does not document status ${status}: ${JSON.stringify(res.body)}`).toBeDefined();
  if (status.startsWith('2')) checkedSuccesses.add(`${method.toUpperCase()} ${template}`);
  if (!response!.content) {
    expect(res.body, `${method} ${template} ${status} documents no body`).toBeNull();
    return;
  }
  const ref = `openapi.json#/${pointer('paths', template!, method.toLowerCase(), 'responses', key, 'content', 'application/json', 'schema')}`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  const ok = validate(res.body);
  expect(ok, `${method} ${path} ${status} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body)}`).toBe(true);
}

/** `api()` that also checks the answer against the document. */
export async function documentedApi<T = any>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const res = await api<T>(path, options);
  await expectDocumented(options.method ?? (options.body !== undefined ? 'POST' : 'GET'), path, res);
  return res;
}

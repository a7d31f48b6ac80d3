import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../scripts/openapi-markdown.mjs';
import committedJson from '../docs/openapi.json?raw';
import committedMarkdown from '../docs/API.md?raw';
import { routesDocument } from './helpers/openapi';

/** docs/ holds the reference a clone can read without running anything: it must be current. */
describe('docs/API.md and docs/openapi.json', () => {
  it('docs/openapi.json is the document of the routes (else: npm run docs:api)', async () => {
    expect(JSON.parse(committedJson)).toEqual(await routesDocument());
  });

  it('docs/API.md is that document as Markdown (else: npm run docs:api)', async () => {
    expect(committedMarkdown).toBe(toMarkdown(await routesDocument()));
  });

  it('lists every operation and every schema of the document', async () => {
    const doc = await routesDocument();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) expect(committedMarkdown).toContain(`### ${method.toUpperCase()} ${path}\n`);
    }
    for (const name of Object.keys(doc.components.schemas)) expect(committedMarkdown).toContain(`### ${name}\n`);
  });
});

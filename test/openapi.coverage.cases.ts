import { describe, expect, it } from 'vitest';
import { checkedSuccesses, routesDocument } from './helpers/openapi';

// Imported last by openapi.test.ts: the case files before it have made their requests.
describe('answers checked against the document', () => {
  it('cover a success answer of every documented operation', async () => {
    const doc = await routesDocument();
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.filter((op) => !checkedSuccesses.has(op))).toEqual([]);
  });
});

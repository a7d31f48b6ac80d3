// npm run docs:events: writes the README's events table from the one catalogue (src/audit/event-types.ts).
// test/events.catalogue.cases.ts fails while the README and the catalogue differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { withCatalogueTable } from '../src/audit/catalogue-table';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withCatalogueTable(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README events table already up to date' : 'README events table written');

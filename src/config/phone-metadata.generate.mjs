// Regenerates phone-metadata.json: libphonenumber-js's "min" metadata without the national
// formatting patterns (two thirds of it, 50 of 83 KB), which only formatting reads
// (format(), AsYouType); parsing, validation and the E.164 form never do. Run from the repo
// root after upgrading libphonenumber-js (test/phone-metadata.test.ts fails until you do):
//   node src/config/phone-metadata.generate.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = require.resolve('libphonenumber-js/metadata.min.json');
const metadata = JSON.parse(readFileSync(source, 'utf8'));

/** Metadata v4 keeps a numbering plan's formats at index 4; 0 is "none of its own", as in the source. */
function withoutFormats(full) {
  const strip = (plans) => Object.fromEntries(Object.entries(plans).map(([key, plan]) => [key, plan.map((field, i) => (i === 4 && Array.isArray(field) ? 0 : field))]));
  return { ...full, countries: strip(full.countries), nonGeographic: strip(full.nonGeographic) };
}

if (metadata.version !== 4) throw new Error(`metadata version ${metadata.version}: the formats index (4) is for version 4`);
const out = new URL('./phone-metadata.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(withoutFormats(metadata))}\n`);
console.log(`phone metadata without formats written to ${out.pathname}`);

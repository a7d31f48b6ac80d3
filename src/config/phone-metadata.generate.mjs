// Regenerates public/data/phone-metadata.json, the metadata the Worker reads through its ASSETS
// binding (src/users/phones.ts): libphonenumber-js's "min" metadata without the national
// formatting patterns (two thirds of it, 50 of 83 KB), which only formatting reads
// (format(), AsYouType); parsing, validation and the E.164 form never do. Also
// phone-regions.json, the regions it has numbering data for, which config.ts checks
// DEFAULT_PHONE_REGION against without loading the metadata. Run from the repo root after
// upgrading libphonenumber-js (test/config.phone-metadata.cases.ts fails until you do):
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
const out = new URL('../../public/data/phone-metadata.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(withoutFormats(metadata))}\n`);
console.log(`phone metadata without formats written to ${out.pathname}`);
const regions = new URL('./phone-regions.json', import.meta.url);
writeFileSync(regions, `${JSON.stringify(Object.keys(metadata.countries).sort())}\n`);
console.log(`phone regions written to ${regions.pathname}`);

// Regenerates public/data/common-passwords.txt, the list the Worker reads through its ASSETS
// binding (common-passwords.ts). Source: @zxcvbn-ts/language-common 4.1.3 (MIT,
// https://github.com/zxcvbn-ts/zxcvbn), its frequency-ranked passwords.json. Run from the repo root:
//   (cd /tmp && npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz)
//   node src/password/hashing/common-passwords.generate.mjs /tmp/package/src/passwords.json
// Entries the other rules refuse anyway (shorter than 8, longer than 128, all digits) are left
// out: they cost load time and memory and could never change an answer.
import { readFileSync, writeFileSync } from 'node:fs';

const source = process.argv[2];
if (!source) throw new Error('usage: node common-passwords.generate.mjs <passwords.json>');

const kept = new Set();
for (const entry of JSON.parse(readFileSync(source, 'utf8'))) {
  const password = entry.normalize('NFKC').toLowerCase().trim();
  const length = [...password].length;
  if (length >= 8 && length <= 128 && !/^\p{Nd}+$/u.test(password)) kept.add(password);
}
// Sorted by code unit, as test/passwords.common-list.cases.ts checks.
const words = [...kept].sort();
if (words.some((word) => /\s/.test(word))) throw new Error('an entry holds whitespace, the separator');

// One a line, nothing else: the Worker splits on newlines (its licence is the file beside it).
const out = new URL('../../../public/data/common-passwords.txt', import.meta.url);
writeFileSync(out, `${words.join('\n')}\n`);
console.log(`${words.length} passwords written to ${out.pathname}`);

/**
 * What postal-mime's text-format.js gets for its `import './html-entities.js'` in the
 * deployed bundle (wrangler.toml [alias]; the tests run the full table). postal-mime uses
 * its table of 2,231 named HTML entities (46 KB, 12 KiB of the bundle's gzip) only to write
 * `email.text` for a message that has HTML and no text part. Bounce and complaint reports
 * are read from their parts and headers (report.ts), never from `email.text`, so the table
 * changes no answer. The common entities stay; numeric ones (&#38;) are decoded without it.
 * Only postal-mime imports a module by that name (checked in the metafile when added).
 */
export const htmlEntities: Record<string, string> = {
  '&amp;': '&',
  '&amp': '&',
  '&lt;': '<',
  '&lt': '<',
  '&gt;': '>',
  '&gt': '>',
  '&quot;': '"',
  '&quot': '"',
  '&apos;': "'",
  '&nbsp;': '\u00a0',
  '&nbsp': '\u00a0',
};

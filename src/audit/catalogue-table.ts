import { EVENT_CATALOGUE, EVENT_TYPES, type EventKind } from './event-types';

export const TABLE_START = '<!-- events-catalogue:start (npm run docs:events writes this table from src/audit/event-types.ts) -->';
export const TABLE_END = '<!-- events-catalogue:end -->';

/** The README's events table, generated from the one catalogue. */
export function catalogueTable(): string {
  const rows = EVENT_TYPES.map((type) => {
    const k: EventKind = EVENT_CATALOGUE[type];
    const who = k.client ? 'clients (`POST /events`)' : k.ingest ? 'services (`POST /internal/events`)' : 'server';
    const flags = [k.failure ? 'failure' : '', k.sensitive ? 'always reviewed' : ''].filter(Boolean).join(', ');
    return `| \`${type}\` | ${k.category} | ${k.severity} | ${who} | ${k.about}${flags ? ` (${flags})` : ''} |`;
  });
  return ['| type | category | default severity | recorded by | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the table. */
export function withCatalogueTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README has no events-catalogue markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n${catalogueTable()}\n${readme.slice(end)}`;
}

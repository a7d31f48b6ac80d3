/**
 * A `manage.py dumpdata` record and readers of its fields. Models are matched by their
 * name without the app label (`accounts.user` and `users.customuser` are both users; see
 * models.ts), fields by the names the replaced apps use, with the aliases some of them had.
 */
export interface DumpRecord {
  model: string;
  pk: unknown;
  fields: Record<string, unknown>;
}

export type Fields = Record<string, unknown>;

/** The first of `names` present in the record (not undefined). */
export function pick(fields: Fields, ...names: string[]): unknown {
  for (const name of names) if (fields[name] !== undefined) return fields[name];
  return undefined;
}

export function text(fields: Fields, ...names: string[]): string {
  const value = pick(fields, ...names);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A string, or null for null/absent/blank. */
export function optionalText(fields: Fields, ...names: string[]): string | null {
  const value = text(fields, ...names).trim();
  return value === '' ? null : value;
}

export function flag(fields: Fields, fallback: boolean, ...names: string[]): boolean {
  const value = pick(fields, ...names);
  return typeof value === 'boolean' ? value : fallback;
}

export function count(fields: Fields, ...names: string[]): number {
  const value = Number(pick(fields, ...names));
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

export function real(fields: Fields, ...names: string[]): number {
  const value = Number(pick(fields, ...names));
  return Number.isFinite(value) ? value : 0;
}

/** Django's ISO datetime ("2024-01-08T12:00:00Z", "…+05:00", "….123456Z") as epoch ms, or null. */
export function datetime(fields: Fields, ...names: string[]): number | null {
  const value = pick(fields, ...names);
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** A foreign key (or primary key) as the string id we keep. */
export function id(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  // Natural keys (dumpdata --natural-foreign) come as one-element arrays for most models.
  if (Array.isArray(value) && value.length === 1) return id(value[0]);
  return null;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value.toLowerCase()) ? (value.toLowerCase() as T) : fallback;
}

/** JSON text of an array of strings (JSONField or a comma-separated CharField). */
export function stringList(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.filter((item): item is string => typeof item === 'string'));
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      return stringList(JSON.parse(value));
    } catch {
      return JSON.stringify(value.split(',').map((item) => item.trim()).filter(Boolean));
    }
  }
  return '[]';
}

/** JSON text of an object (JSONField, or its text). */
export function jsonObject(value: unknown, fallback: string): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'string') {
    try {
      return jsonObject(JSON.parse(value), fallback);
    } catch {
      return fallback;
    }
  }
  return fallback;
}

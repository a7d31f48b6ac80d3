import * as z from 'zod';

/** The longest range one report covers. */
export const MAX_REPORT_DAYS = 366;
/** Without `from`, a report covers this many days up to `to`. */
export const DEFAULT_REPORT_DAYS = 30;
const DAY_MS = 86_400_000;

/** A real calendar day, YYYY-MM-DD (2026-02-30 is refused). */
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Use YYYY-MM-DD.' })
  .refine(isCalendarDay, { error: 'Not a calendar day.' });

/** zod runs this even when the pattern failed, so it must not throw on any string. */
function isCalendarDay(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === text;
}

const optionalDay = z.preprocess((v) => (v === '' ? undefined : v), isoDay.optional());

export const statsQuery = z.object({ from: optionalDay, to: optionalDay });
export type StatsQuery = z.infer<typeof statsQuery>;

export interface DayRange {
  from: string;
  to: string;
}

/**
 * The days a report covers: `to` defaults to yesterday (the last finished day), `from` to
 * DEFAULT_REPORT_DAYS before it. A range that runs backwards or is longer than
 * MAX_REPORT_DAYS is refused with the field to blame.
 */
export function reportRange(query: StatsQuery, now: number): DayRange | { field: 'from' | 'to'; message: string } {
  const to = query.to ?? dayOf(Math.floor(now / DAY_MS) * DAY_MS - DAY_MS);
  const from = query.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_REPORT_DAYS - 1) * DAY_MS);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) return { field: 'from', message: 'Must not be after "to".' };
  if (days > MAX_REPORT_DAYS) return { field: 'from', message: `A report covers at most ${MAX_REPORT_DAYS} days.` };
  return { from, to };
}

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

import { LEGACY_SEVERITIES, type Severity } from '../db/schema';

/** A stored severity as the API names it: rows from before issue 14 say info/warning. */
export function readSeverity(stored: string): Severity {
  return (LEGACY_SEVERITIES as Record<string, Severity>)[stored] ?? (stored as Severity);
}

/** The stored values that mean `severity`, for filters that must match old rows too. */
export type StoredSeverity = Severity | keyof typeof LEGACY_SEVERITIES;

export function storedSeverities(severity: Severity): StoredSeverity[] {
  const legacy = Object.entries(LEGACY_SEVERITIES)
    .filter(([, now]) => now === severity)
    .map(([old]) => old as keyof typeof LEGACY_SEVERITIES);
  return [severity, ...legacy];
}

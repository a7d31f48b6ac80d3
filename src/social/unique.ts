/** True when a D1 write failed on a UNIQUE or PRIMARY KEY constraint (the batch was rolled back). */
export function isUniqueViolation(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ''} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return /UNIQUE constraint failed|PRIMARY KEY constraint failed/i.test(text);
}

/** True when a D1 write failed on a UNIQUE or PRIMARY KEY constraint (the batch was rolled back). */
export function isUniqueViolation(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ''} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return /UNIQUE constraint failed|PRIMARY KEY constraint failed/i.test(text);
}

/** True when a D1 write was refused by the trigger that keeps follows from crossing a block (migration 0007). */
export function isFollowAcrossBlock(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ''} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return text.includes('follow_across_block');
}

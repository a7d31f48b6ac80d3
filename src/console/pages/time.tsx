import { when } from '../render';

/** A moment as people read it, with its zone ("2026-12-02 05:41 UTC"), and exactly for machines. */
export function Time({ at }: { at: string | null | undefined }) {
  return at ? <time datetime={at}>{when(at)}</time> : <>—</>;
}

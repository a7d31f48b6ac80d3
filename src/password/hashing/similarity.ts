/**
 * Python difflib.SequenceMatcher ratios over code points, both 2·M / (len(a) + len(b)).
 * Django's UserAttributeSimilarityValidator decides with quickRatio (policy.ts does too);
 * sequenceRatio is the order-aware Ratcliff/Obershelp ratio, should the policy ever want
 * to accept reorderings such as "smithjohn" for "john.smith" (ratio 0.56, quick 1.0).
 */

/** quick_ratio(): M counts shared characters as multisets, order ignored. An upper bound of sequenceRatio. */
export function quickRatio(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  if (left.length + right.length === 0) return 1;
  const available = new Map<string, number>();
  for (const char of right) available.set(char, (available.get(char) ?? 0) + 1);
  let matches = 0;
  for (const char of left) {
    const count = available.get(char) ?? 0;
    if (count > 0) {
      available.set(char, count - 1);
      matches++;
    }
  }
  return (2 * matches) / (left.length + right.length);
}

/**
 * ratio(): Ratcliff/Obershelp. M is the longest common block plus, recursively, the
 * matches left and right of it. Ties and difflib's "autojunk" (characters making up
 * over 1% of a b of 200+ characters cannot start a match) follow difflib exactly.
 */
export function sequenceRatio(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  if (left.length + right.length === 0) return 1;
  const positions = indexPositions(right);
  let matches = 0;
  const pending: [number, number, number, number][] = [[0, left.length, 0, right.length]];
  for (let range = pending.pop(); range; range = pending.pop()) {
    const [aLo, aHi, bLo, bHi] = range;
    const [i, j, size] = longestMatch(left, right, positions, aLo, aHi, bLo, bHi);
    if (size === 0) continue;
    matches += size;
    if (aLo < i && bLo < j) pending.push([aLo, i, bLo, j]);
    if (i + size < aHi && j + size < bHi) pending.push([i + size, aHi, j + size, bHi]);
  }
  return (2 * matches) / (left.length + right.length);
}

/** difflib's b2j: where each character of b occurs, without autojunk's popular ones. */
function indexPositions(b: string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  b.forEach((char, j) => {
    const list = positions.get(char);
    if (list) list.push(j);
    else positions.set(char, [j]);
  });
  if (b.length >= 200) {
    const limit = Math.floor(b.length / 100) + 1;
    for (const [char, list] of positions) if (list.length > limit) positions.delete(char);
  }
  return positions;
}

/** difflib find_longest_match (no isjunk): earliest in a, then earliest in b, on ties. */
function longestMatch(
  a: string[],
  b: string[],
  positions: Map<string, number[]>,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
): [number, number, number] {
  let bestI = aLo;
  let bestJ = bLo;
  let bestSize = 0;
  let lengths = new Map<number, number>();
  for (let i = aLo; i < aHi; i++) {
    const next = new Map<number, number>();
    for (const j of positions.get(a[i]!) ?? []) {
      if (j < bLo) continue;
      if (j >= bHi) break;
      const size = (lengths.get(j - 1) ?? 0) + 1;
      next.set(j, size);
      if (size > bestSize) [bestI, bestJ, bestSize] = [i - size + 1, j - size + 1, size];
    }
    lengths = next;
  }
  // Popular characters were kept out of the index; a match may still grow over them.
  while (bestI > aLo && bestJ > bLo && a[bestI - 1] === b[bestJ - 1]) {
    bestI--;
    bestJ--;
    bestSize++;
  }
  while (bestI + bestSize < aHi && bestJ + bestSize < bHi && a[bestI + bestSize] === b[bestJ + bestSize]) bestSize++;
  return [bestI, bestJ, bestSize];
}

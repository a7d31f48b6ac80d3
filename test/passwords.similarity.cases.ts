import { describe, expect, it } from 'vitest';
import { quickRatio, sequenceRatio } from '../src/password/hashing/similarity';

// Expected values from this machine's Python: difflib.SequenceMatcher(a=a, b=b).ratio() / .quick_ratio()
const LONG_B = 'ab'.repeat(60) + 'xyz'.repeat(30) + 'q'.repeat(10); // 220 characters: autojunk applies
const CASES: [string, string, number, number][] = [
  ['smithjohn', 'johnsmith', 0.5555555555555556, 1.0],
  ['john.smith@example.com', 'john.smith@example.com', 1.0, 1.0],
  ['johnsmith1', 'john.smith', 0.9, 0.9],
  ['abcdefgh', 'hgfedcba', 0.125, 1.0],
  ['qwertyuiop', 'qwerty', 0.75, 0.75],
  ['lètmein', 'letmein', 0.8571428571428571, 0.8571428571428571],
  ['', '', 1.0, 1.0],
  ['abxyzq'.repeat(5), LONG_B, 0.016, 0.24],
  ['the quick brown fox', 'quick brown the fox', 0.7894736842105263, 1.0],
];

describe('SequenceMatcher ratios', () => {
  it.each(CASES)('%s / %s', (a, b, ratio, quick) => {
    expect(sequenceRatio(a, b)).toBeCloseTo(ratio, 12);
    expect(quickRatio(a, b)).toBeCloseTo(quick, 12);
  });

  it('quick_ratio bounds ratio from above', () => {
    for (const [a, b] of CASES) expect(quickRatio(a, b)).toBeGreaterThanOrEqual(sequenceRatio(a, b));
  });
});

/**
 * Sets `key` in a memo kept in isolate memory, as its newest entry; past `limit` entries the
 * oldest goes (Map keeps insertion order). For memos that are only shortcuts: a dropped entry
 * costs one more look-up, never a wrong answer.
 */
export function rememberBounded<K, V>(memo: Map<K, V>, key: K, value: V, limit: number): void {
  memo.delete(key);
  memo.set(key, value);
  if (memo.size > limit) memo.delete(memo.keys().next().value as K);
}

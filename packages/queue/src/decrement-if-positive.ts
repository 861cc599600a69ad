/**
 * Takes 1 from the counter `i32[word]` unless it is 0 or less (a compare-and-swap loop, safe against
 * other processes counting at the same time); true when it took one.
 */
export function decrementIfPositive(i32: Int32Array, word: number): boolean {
  for (;;) {
    const n = Atomics.load(i32, word);
    if (n <= 0) return false;
    if (Atomics.compareExchange(i32, word, n, n - 1) === n) return true;
  }
}

/** The message every sender of the suite sends: its index, its length and a body made from both. */
export interface TestMessage {
  /** 0, 1, 2… in send order. */
  i: number;
  /** The body's length. */
  n: number;
  /** `n` times the letter of `i`. */
  body: string;
}

/** The message with index `i` and a body of `n` characters. */
export function testMessage(i: number, n: number): TestMessage {
  return { i, n, body: String.fromCharCode(97 + (i % 26)).repeat(n) };
}

/** Why `value` is not message `i` intact, or undefined when it is. */
export function corruption(value: unknown, i: number): string | undefined {
  if (typeof value !== 'object' || value === null) return `message ${i} is not an object`;
  const m = value as Partial<TestMessage>;
  if (m.i !== i) return `expected message ${i}, got ${String(m.i)} (out of order or lost)`;
  if (typeof m.n !== 'number' || typeof m.body !== 'string') return `message ${i} lost its fields`;
  if (m.body.length !== m.n || m.body !== testMessage(i, m.n).body) return `message ${i} has a corrupt body`;
  return undefined;
}

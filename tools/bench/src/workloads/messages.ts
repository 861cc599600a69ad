/** The messages of SPEC.md, built and checked in one place for every case. */

/** W1: `{seq, ts, tag: "ping"}` (~45 bytes as JSON). */
export interface PingMessage {
  seq: number;
  ts: number;
  tag: 'ping';
}

/** W2 and W4: `{id, user, items, ok, score}` (77–87 bytes as JSON). */
export interface ItemMessage {
  id: number;
  user: string;
  items: number[];
  ok: boolean;
  score: number;
}

/** The W4 stop sentinel the parent enqueues once per consumer. */
export const STOP = { stop: true } as const;

export function pingMessage(seq: number): PingMessage {
  return { seq, ts: performance.now(), tag: 'ping' };
}

export function itemMessage(id: number): ItemMessage {
  return { id, user: `user-${id}`, items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], ok: true, score: 0.5 };
}

/** Thrown when a message arrived changed, out of order or not at all. */
export class CheckError extends Error {
  override name = 'CheckError';
}

let verifyAll = false;

/** Check every message completely (the tour) instead of ids plus a sample. */
export function setVerifyAll(on: boolean): void {
  verifyAll = on;
}

/** Checks a W1 echo. */
export function checkPing(value: unknown, seq: number): void {
  const m = value as PingMessage | null;
  if (m === null || typeof m !== 'object' || m.seq !== seq) {
    throw new CheckError(`W1: expected the echo of seq ${seq}, got ${describe(value)}`);
  }
  if (verifyAll && (m.tag !== 'ping' || typeof m.ts !== 'number')) {
    throw new CheckError(`W1: echo ${seq} arrived altered: ${describe(value)}`);
  }
}

/**
 * Checks a W2/W4 message's id against the expected one; every 1,024th message (and the first) is
 * compared field by field, so that "intact" is checked without taxing the loop.
 */
export function checkItem(value: unknown, id: number): void {
  const m = value as ItemMessage | null;
  if (m === null || typeof m !== 'object' || m.id !== id) {
    throw new CheckError(`expected message id ${id}, got ${describe(value)}`);
  }
  if (verifyAll || (id & 1023) === 0) checkItemFields(m);
}

/** Compares every field of an item message. */
export function checkItemFields(m: ItemMessage): void {
  const items = m.items;
  const ok =
    m.user === `user-${m.id}` &&
    Array.isArray(items) &&
    items.length === 10 &&
    items.every((v, i) => v === i + 1) &&
    m.ok === true &&
    m.score === 0.5;
  if (!ok) throw new CheckError(`message ${m.id} arrived altered: ${describe(m)}`);
}

/** The W3 buffer: `length` bytes of the pattern `i & 0xff`. */
export function bulkBuffer(length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = i & 0xff;
  return b;
}

let reference: Buffer | undefined;

/** Checks a received W3 buffer: its length, and the pattern at the start, the middle and the end. */
export function checkBulk(value: unknown, length: number, index: number): number {
  if (!(value instanceof Uint8Array)) {
    throw new CheckError(`W3: buffer ${index} is not bytes: ${describe(value)}`);
  }
  if (value.length !== length) {
    throw new CheckError(`W3: buffer ${index} has ${value.length} bytes, expected ${length}`);
  }
  if (verifyAll) {
    reference = reference?.length === length ? reference : bulkBuffer(length);
    if (Buffer.compare(reference, value) !== 0) throw new CheckError(`W3: buffer ${index} arrived altered`);
  } else {
    for (const at of [0, 1, length >> 1, length - 1]) {
      if (value[at] !== (at & 0xff)) throw new CheckError(`W3: buffer ${index} altered at byte ${at}`);
    }
  }
  return value.length;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

import type { Payload } from '../adapter.js';

/** The harness's own messages on a link: the peer's ready, its completion, the driver's goodbye. */
export type ControlMessage = { t: 'ready' } | { t: 'done'; count: number; bytes?: number } | { t: 'bye' };

/** Encodes a control message for a link (a small JSON buffer on a bytes link). */
export function encodeControl(message: ControlMessage, payload: Payload): unknown {
  return payload === 'bytes' ? Buffer.from(JSON.stringify(message)) : message;
}

/** Decodes a control message, or throws when `value` is not the expected kind. */
export function decodeControl<K extends ControlMessage['t']>(
  value: unknown,
  payload: Payload,
  kind: K,
): Extract<ControlMessage, { t: K }> {
  let m: unknown = value;
  if (payload === 'bytes') {
    if (!(value instanceof Uint8Array) || value.length > 4096) {
      throw new Error(`expected the peer's "${kind}" message, got ${describeShort(value)}`);
    }
    m = JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.length).toString('utf8'));
  }
  if (typeof m !== 'object' || m === null || (m as { t?: unknown }).t !== kind) {
    throw new Error(`expected the "${kind}" message, got ${describeShort(m)}`);
  }
  return m as Extract<ControlMessage, { t: K }>;
}

function describeShort(v: unknown): string {
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  try {
    return (JSON.stringify(v) ?? String(v)).slice(0, 100);
  } catch {
    return String(v);
  }
}

const keys = new WeakMap<ArrayBuffer, string>();
let anonymous = 0;

/**
 * Records what `buffer` maps: `key` names the file or segment (device and inode), `offset` the file
 * offset of the buffer's first byte. Two mappings of the same memory then share word identities, so
 * that a wake-up in this process reaches this process's waiters on any mapping at once.
 */
export function registerMapping(buffer: ArrayBuffer, key: string, offset: number): void {
  keys.set(buffer, `${key}@${offset}`);
}

/** A string naming the word at `byteOffset` of `buffer`, equal for every mapping of the same memory. */
export function wordIdentity(buffer: ArrayBuffer, byteOffset: number): string {
  let key = keys.get(buffer);
  if (key === undefined) {
    key = `anon${++anonymous}@0`;
    keys.set(buffer, key);
  }
  const at = key.lastIndexOf('@');
  return `${key.slice(0, at)}:${Number(key.slice(at + 1)) + byteOffset}`;
}

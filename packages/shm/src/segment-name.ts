import { IpcError } from '@ipc/core';

/**
 * Checks a segment name and returns it without its leading slash, as Python's
 * `SharedMemory(name).name` does: `'frames'` and `'/frames'` are both `/dev/shm/frames`.
 */
export function segmentName(name: unknown): string {
  if (typeof name !== 'string') throw new IpcError('ERR_INVALID_ARGUMENT', 'a segment name must be a string');
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (
    bare.length === 0 ||
    bare.length > 250 ||
    bare.includes('/') ||
    bare.includes('\0') ||
    bare === '.' ||
    bare === '..'
  ) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `invalid segment name ${JSON.stringify(name)}: 1 to 250 characters, no '/' except a leading one`,
    );
  }
  return bare;
}

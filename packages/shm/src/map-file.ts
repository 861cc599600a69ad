import { closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { IpcError } from '@ipc/core';
import { addon } from './load-addon.js';
import { registerMapping } from './memory-identity.js';
import { osError } from './os-error.js';

/** Options of {@link mapFile}. */
export interface MapFileOptions {
  /**
   * Bytes to map (default: the file's size). A bigger size grows the file first (`ftruncate`; never
   * shrinks it: shrinking a file another process maps kills that process with `SIGBUS`).
   */
  size?: number | undefined;
  /** Map read-only (`PROT_READ`, file opened `O_RDONLY`; default false). */
  readonly?: boolean | undefined;
  /** Create the file when missing (mode `0o600`; default false: `ERR_NOT_FOUND`). */
  create?: boolean | undefined;
}

/** A file mapped into memory with `mmap(MAP_SHARED)` (Python's `mmap.mmap(f.fileno(), size)`). */
export interface MappedFile extends Disposable {
  /** The mapped bytes: writes reach the file (and every process mapping it). */
  readonly buffer: ArrayBuffer;
  /** The mapped size in bytes. */
  readonly size: number;
  /** Writes `length` bytes from `byteOffset` (default: all) back to the file and waits (`msync(MS_SYNC)`). */
  flush(byteOffset?: number, length?: number): void;
  /** Drops this handle; the memory is unmapped once no view of `buffer` remains. Idempotent. */
  close(): void;
}

/**
 * Maps the file at `path` into memory, shared with every process that maps it.
 *
 * @example
 * ```ts
 * using file = mapFile('/var/tmp/counters.bin', { size: 4096, create: true });
 * Atomics.add(new Int32Array(file.buffer), 0, 1);
 * file.flush();
 * ```
 */
export function mapFile(path: string, options: MapFileOptions = {}): MappedFile {
  const readonly = options.readonly === true;
  if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size <= 0)) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `size must be a positive integer, got ${String(options.size)}`,
    );
  }
  let fd: number;
  try {
    fd = openSync(path, readonly ? 'r' : options.create === true ? 'a+' : 'r+', 0o600);
  } catch (err) {
    throw osError(err, `open ${path}`);
  }
  try {
    const current = fstatSync(fd).size;
    const size = options.size ?? current;
    if (size <= 0) throw new IpcError('ERR_INVALID_ARGUMENT', `${path} is empty: pass a size to map`);
    if (size > current) {
      if (readonly)
        throw new IpcError('ERR_INVALID_ARGUMENT', `${path} has ${current} bytes, fewer than ${size}`);
      ftruncateSync(fd, size);
    }
    const st = fstatSync(fd);
    let buffer: ArrayBuffer | undefined = addon().mmap(fd, size, 0, !readonly);
    registerMapping(buffer, `file:${st.dev}:${st.ino}`, 0);
    const live = (): ArrayBuffer => {
      if (buffer === undefined) throw new IpcError('ERR_CLOSED', `the mapping of ${path} is closed`);
      return buffer;
    };
    return {
      get buffer() {
        return live();
      },
      size,
      flush(byteOffset = 0, length = size - byteOffset) {
        if (
          !Number.isInteger(byteOffset) ||
          !Number.isInteger(length) ||
          byteOffset < 0 ||
          length < 0 ||
          byteOffset + length > size
        ) {
          throw new IpcError(
            'ERR_INVALID_ARGUMENT',
            `flush range ${byteOffset}+${length} is outside 0..${size}`,
          );
        }
        try {
          addon().msync(live(), byteOffset, length);
        } catch (err) {
          throw osError(err, `msync ${path}`);
        }
      },
      close() {
        buffer = undefined;
      },
      [Symbol.dispose]() {
        buffer = undefined;
      },
    };
  } catch (err) {
    throw osError(err, `map ${path}`);
  } finally {
    closeSync(fd);
  }
}

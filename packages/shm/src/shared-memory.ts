import { closeSync, fchmodSync, fstatSync, ftruncateSync, linkSync, statSync } from 'node:fs';
import { IpcError, type WaitStrategy } from '@ipc/core';
import { futexWaitStrategy } from './futex-wait-strategy.js';
import { addon } from './load-addon.js';
import { registerMapping } from './memory-identity.js';
import { osError } from './os-error.js';
import { OwnerRegistry } from './owner-registry.js';
import { segmentName } from './segment-name.js';
import {
  readTrailer,
  TRAILER_BYTES,
  trailerViews,
  writeTrailer,
  type SegmentLifetime,
  type Trailer,
} from './segment-trailer.js';
import { temporaryName } from './temporary-name.js';

/** Where Linux keeps POSIX shared memory (`shm_open("/x")` is `/dev/shm/x`). */
export const SHM_DIR = '/dev/shm';
const MAX_SIZE = 2 ** 46;

/** Options of {@link SharedMemory.create}. */
export interface CreateSharedMemoryOptions extends OpenSharedMemoryOptions {
  /** Permission bits of the new segment (`shm_open`'s `mode`, applied exactly with `fchmod`); default `0o600`. */
  mode?: number | undefined;
  /** Whether `close()` unlinks the segment (default true: the creator cleans up). */
  unlinkOnClose?: boolean | undefined;
  /**
   * Whose lifetime the segment follows, for `cleanupStale` (default `'creator'`): `'creator'` —
   * stale once its creator is gone; `'users'` — stale only once no process has it open any more
   * (the creator and each opener take a slot of the segment's owner registry until they close; a
   * process killed before it closed leaves a slot that names a dead process). Use `'users'`
   * for a segment that outlives its creator (`unlinkOnClose: false`) while others still use it.
   */
  lifetime?: SegmentLifetime | undefined;
}

/** Options of {@link SharedMemory.open} (and of {@link SharedMemory.create}). */
export interface OpenSharedMemoryOptions {
  /**
   * Map every page of the segment now (`MAP_POPULATE`, Linux) instead of at its first touch (default
   * false): no page fault later — each costs a few microseconds, once per page and per process — for
   * the memory committed at once and a slower create/open (milliseconds per 100 MiB). Worth it for
   * memory that will all be used soon, like a ring that is written round and round.
   */
  populate?: boolean | undefined;
}

/** Per-process owner ids, one per segment (device:inode), shared by every mapping of it. */
const owners = new Map<string, { registry: OwnerRegistry; refs: number }>();

/**
 * A named POSIX shared-memory segment mapped into this process (`shm_open` + `mmap(MAP_SHARED)`).
 * `buffer` is a plain `ArrayBuffer` over the mapping: typed arrays and `Atomics` on it are shared with
 * every process that maps the same name (Node, Python's `multiprocessing.shared_memory`, C). The
 * mapping is unmapped when the last reference to `buffer` is gone.
 *
 * Segments this package creates carry one extra page after the caller's bytes (rounded up to a page),
 * with the creator's pid and start time (for {@link cleanupStale}) and the owner registry of the
 * cross-process locks; `buffer` and `size` cover only the caller's bytes. Python sees the whole file.
 *
 * @example
 * ```ts
 * using shm = SharedMemory.create('frames', 1 << 20);   // /dev/shm/frames, mode 0600
 * new Uint8Array(shm.buffer).set(frame);
 * // elsewhere: SharedMemory.open('frames'), or Python: SharedMemory('frames')
 * ```
 */
export class SharedMemory implements Disposable {
  #buffer: ArrayBuffer | undefined;
  #trailer: Trailer | undefined;
  #owner: { key: string; registry: OwnerRegistry } | undefined;
  #strategy: WaitStrategy | undefined;
  #unlinked = false;

  private constructor(
    /** The segment's name, without the leading slash (as Python's `SharedMemory.name`). */
    readonly name: string,
    buffer: ArrayBuffer,
    trailer: Trailer | undefined,
    /** The device and inode of the segment: equal for every mapping of it. */
    readonly key: string,
    /** Whether this object created the segment. */
    readonly created: boolean,
    private readonly unlinkOnClose: boolean,
    /** Whose lifetime the segment follows (see {@link CreateSharedMemoryOptions.lifetime}). */
    readonly lifetime: SegmentLifetime,
  ) {
    this.#buffer = buffer;
    this.#trailer = trailer;
  }

  /**
   * Creates the segment `name` of `size` bytes (zero-filled), failing with `ERR_EXISTS` when it exists
   * (`O_EXCL`: never truncates another process's segment). The segment is made under a temporary name
   * and linked into place complete, so an opener never sees it half-made.
   *
   * @param name - `'frames'` or `'/frames'`: `/dev/shm/frames`
   * @param size - bytes, a positive integer
   */
  static create(name: string, size: number, options: CreateSharedMemoryOptions = {}): SharedMemory {
    const bare = segmentName(name);
    if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_SIZE) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `a segment size must be a positive integer, got ${String(size)}`,
      );
    }
    const mode = options.mode ?? 0o600;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `mode must be permission bits (0 to 0o777), got ${String(mode)}`,
      );
    }
    const native = addon();
    const temp = temporaryName(process.pid, Math.random().toString(36).slice(2, 10));
    let fd: number;
    try {
      fd = native.shmOpen(`/${temp}`, true, mode);
    } catch (err) {
      throw osError(err, `shm_open ${temp}`);
    }
    let linked = false;
    try {
      fchmodSync(fd, mode);
      const dataBytes = Math.ceil(size / native.pageSize) * native.pageSize;
      ftruncateSync(fd, dataBytes + TRAILER_BYTES);
      const trailerBuffer = native.mmap(fd, TRAILER_BYTES, dataBytes, true);
      const trailer = trailerViews(trailerBuffer);
      const lifetime = options.lifetime ?? 'creator';
      if (lifetime !== 'creator' && lifetime !== 'users') {
        throw new IpcError(
          'ERR_INVALID_ARGUMENT',
          `lifetime must be 'creator' or 'users', got ${String(lifetime)}`,
        );
      }
      writeTrailer(trailer, size, lifetime);
      const buffer = native.mmap(fd, size, 0, true, options.populate === true);
      const st = fstatSync(fd);
      const key = `shm:${st.dev}:${st.ino}`;
      registerMapping(buffer, key, 0);
      registerMapping(trailerBuffer, key, dataBytes);
      const shm = new SharedMemory(bare, buffer, trailer, key, true, options.unlinkOnClose ?? true, lifetime);
      // A segment of its users' lifetime has its first user before anyone can see its name.
      if (lifetime === 'users') shm.#attach();
      try {
        linkSync(`${SHM_DIR}/${temp}`, `${SHM_DIR}/${bare}`);
      } catch (err) {
        shm.close(); // gives the slot back; the name is another segment's, left alone
        throw osError(err, `create shared memory ${bare}`);
      }
      linked = true;
      return shm;
    } catch (err) {
      if (linked) unlinkQuietly(bare);
      throw osError(err, `create shared memory ${bare}`);
    } finally {
      unlinkQuietly(temp);
      closeSync(fd);
    }
  }

  /** Opens the existing segment `name` (made here, by Python, or by C); `ERR_NOT_FOUND` when there is none. */
  static open(name: string, options: OpenSharedMemoryOptions = {}): SharedMemory {
    const bare = segmentName(name);
    const native = addon();
    let fd: number;
    try {
      fd = native.shmOpen(`/${bare}`, false, 0);
    } catch (err) {
      throw osError(err, `open shared memory ${bare}`);
    }
    try {
      const st = fstatSync(fd);
      const key = `shm:${st.dev}:${st.ino}`;
      const total = st.size;
      if (total <= 0) throw new IpcError('ERR_NOT_FOUND', `shared memory ${bare} is empty (being created?)`);
      let size = total;
      let trailer: Trailer | undefined;
      let lifetime: SegmentLifetime = 'creator';
      const at = total - TRAILER_BYTES;
      if (at > 0 && at % native.pageSize === 0) {
        const trailerBuffer = native.mmap(fd, TRAILER_BYTES, at, true);
        const views = trailerViews(trailerBuffer);
        const facts = readTrailer(views, at);
        if (facts) {
          size = facts.size;
          lifetime = facts.lifetime;
          trailer = views;
          registerMapping(trailerBuffer, key, at);
        }
      }
      const buffer = native.mmap(fd, size, 0, true, options.populate === true);
      registerMapping(buffer, key, 0);
      const shm = new SharedMemory(bare, buffer, trailer, key, false, false, lifetime);
      if (lifetime === 'users') shm.#attach();
      return shm;
    } catch (err) {
      throw osError(err, `open shared memory ${bare}`);
    } finally {
      closeSync(fd);
    }
  }

  /** The mapped bytes (`size` long). Throws `ERR_CLOSED` after `close()`. */
  get buffer(): ArrayBuffer {
    if (this.#buffer === undefined) throw new IpcError('ERR_CLOSED', `shared memory ${this.name} is closed`);
    return this.#buffer;
  }

  /** The usable size in bytes. */
  get size(): number {
    return this.buffer.byteLength;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#buffer === undefined;
  }

  /**
   * The segment's permission bits as they are now (`stat` of `/dev/shm/<name>`); owner-only (`0o600`)
   * when the name is gone. Files made for the segment's users (doorbells) get the same.
   */
  get mode(): number {
    try {
      return statSync(`${SHM_DIR}/${this.name}`).mode & 0o777;
    } catch {
      return 0o600;
    }
  }

  /**
   * The cross-process wait strategy for `@ipc/core`'s `Mutex`, `Semaphore`, `Event` and `Barrier` living
   * in this segment: futex waits, and owner ids from this segment's owner registry (so that a lock held
   * by a process that died is recovered with `ERR_OWNER_DEAD`). One per process and segment.
   * Throws `ERR_UNSUPPORTED` for a segment not created by @ipc/shm (it has no registry).
   */
  waitStrategy(): WaitStrategy {
    if (this.#strategy) return this.#strategy;
    const trailer = this.#trailer;
    if (this.closed || trailer === undefined) {
      if (this.closed) throw new IpcError('ERR_CLOSED', `shared memory ${this.name} is closed`);
      throw new IpcError(
        'ERR_UNSUPPORTED',
        `shared memory ${this.name} was not created by @ipc/shm: it has no owner registry for locks`,
      );
    }
    this.#strategy = futexWaitStrategy(this.#attach());
    return this.#strategy;
  }

  /**
   * Takes this process's slot in the segment's owner registry (shared by every handle of this process
   * on the segment; given back when the last one closes), once per handle.
   */
  #attach(): OwnerRegistry {
    if (this.#owner) return this.#owner.registry;
    const trailer = this.#trailer;
    if (trailer === undefined) throw new IpcError('ERR_CLOSED', `shared memory ${this.name} is closed`);
    let entry = owners.get(this.key);
    if (!entry) owners.set(this.key, (entry = { registry: OwnerRegistry.claim(trailer), refs: 0 }));
    entry.refs++;
    this.#owner = { key: this.key, registry: entry.registry };
    return entry.registry;
  }

  /**
   * Removes the name (`shm_unlink`): processes that mapped it keep their memory, new opens fail.
   * Idempotent; a name already gone is not an error.
   */
  unlink(): void {
    if (this.#unlinked) return;
    this.#unlinked = true;
    // Unlink only our own segment, not one that replaced it under the same name.
    try {
      const st = statSync(`${SHM_DIR}/${this.name}`);
      if (`shm:${st.dev}:${st.ino}` !== this.key) return;
    } catch {
      return;
    }
    unlinkQuietly(this.name);
  }

  /**
   * Closes this handle: the creator unlinks the name (unless `unlinkOnClose: false`); this process's
   * owner slot is released. The memory stays mapped while views of `buffer` exist (no use-after-unmap).
   * Idempotent.
   */
  close(): void {
    if (this.#buffer === undefined) return;
    this.#buffer = undefined;
    this.#trailer = undefined;
    if (this.#owner) {
      const entry = owners.get(this.#owner.key);
      if (entry && --entry.refs === 0) {
        owners.delete(this.#owner.key);
        entry.registry.release();
      }
      this.#owner = undefined;
    }
    if (this.created && this.unlinkOnClose) this.unlink();
  }

  /** Same as {@link SharedMemory.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function unlinkQuietly(bare: string): void {
  try {
    addon().shmUnlink(`/${bare}`);
  } catch {
    // already gone
  }
}

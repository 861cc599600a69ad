/**
 * The native addon's surface, declared once (the C source is `native/ipc_shm.c`). Every function
 * throws an `Error` carrying `errno` (a number) and `syscall` on an OS failure; {@link osError}
 * turns those into `IpcError`s. Nothing outside this package's own modules calls these directly.
 */
export interface NativeAddon {
  /** The system's memory page size (`sysconf(_SC_PAGESIZE)`), in bytes. */
  readonly pageSize: number;
  /** `shm_open(name, O_RDWR | (create ? O_CREAT | O_EXCL : 0), mode)`; returns the file descriptor. */
  shmOpen(name: string, create: boolean, mode: number): number;
  /** `shm_unlink(name)`. */
  shmUnlink(name: string): void;
  /** `mkfifo(path, mode)` (a ring's doorbell; `EEXIST` when the path is taken). */
  mkfifo(path: string, mode: number): void;
  /**
   * `mmap(NULL, length, PROT_READ[|PROT_WRITE], MAP_SHARED[|MAP_POPULATE], fd, offset)` as an external
   * ArrayBuffer, unmapped by its finalizer.
   */
  mmap(fd: number, length: number, offset: number, writable: boolean, populate?: boolean): ArrayBuffer;
  /** `msync(MS_SYNC)` over `length` bytes from `byteOffset` of a mapped buffer (page-aligned down). */
  msync(buffer: ArrayBuffer, byteOffset: number, length: number): void;
  /** Blocking `FUTEX_WAIT` (shared): 0 woken, 1 the word was not `expected`, 2 timed out. `timeoutMs < 0`: no limit. */
  futexWait(buffer: ArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): 0 | 1 | 2;
  /** `FUTEX_WAKE` (shared) of up to `count` waiters; returns how many were woken. */
  futexWake(buffer: ArrayBuffer, byteOffset: number, count: number): number;
  /**
   * Starts this environment's waiter thread (idempotent). `onDone(ids)` runs on the JavaScript thread
   * with the ids of waits that finished. Returns false where `futex_waitv` is missing (Linux < 5.16).
   */
  waiterStart(onDone: (ids: number[]) => void): boolean;
  /** Adds a wait on a word to the waiter thread; false when its 127 slots are all taken. */
  waiterAdd(buffer: ArrayBuffer, byteOffset: number, expected: number, id: number): boolean;
  /** Removes a pending wait; its id is not delivered afterwards. */
  waiterCancel(id: number): void;
  /** This module copy has (true) or no longer has (false) pending waits: the event loop stays alive while any copy has some. */
  waiterRef(keepAlive: boolean): void;
}

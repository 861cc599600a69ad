import { randomInt } from 'node:crypto';
import { closeSync, constants, openSync, unlinkSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { abortError, type WaitResult } from '@ipc/core';
import { addon } from '../load-addon.js';
import { SHM_DIR } from '../shared-memory.js';
import { temporaryName } from '../temporary-name.js';

/** Tries at picking a free doorbell name before giving up (a name is taken only by a stale or hostile file). */
const NAME_TRIES = 4;

/**
 * The path of doorbell `id` of the process `pid`: a FIFO in `/dev/shm` named as a temporary of that
 * process (see `temporary-name.ts`), so that `cleanupStale` removes it once the process is gone.
 */
export function doorbellPath(pid: number, id: number): string {
  return `${SHM_DIR}/${temporaryName(pid, `bell-${id}`)}`;
}

/** Where a doorbell's id is recorded for the processes that ring it (see {@link Doorbell.create}). */
export interface BellIdSlot {
  /** Records `id`; false when the slot is taken (then no doorbell is made). */
  claim(id: number): boolean;
  /** Forgets `id` (its FIFO could not be made). */
  release(id: number): void;
}

/** The doorbells this process has open, removed by {@link removeOpenBellsAtExit} if it exits without closing them. */
const openBells = new Set<string>();
let exitHooked = false;

/**
 * Removes this process's open doorbells as it exits (`process.exit`, or the event loop ran out with a
 * channel never closed): a name that says this pid is this process's to remove, and a peer that
 * closed first can no longer do it. Only a killed process leaves its doorbells behind (then the
 * surviving end or `cleanupStale` removes them).
 */
function removeOpenBellsAtExit(): void {
  for (const path of openBells) removeQuietly(path);
  openBells.clear();
}

/** Counts `path` among this process's open doorbells (see {@link removeOpenBellsAtExit}). */
function trackOpenBell(path: string): void {
  if (!exitHooked) {
    process.once('exit', removeOpenBellsAtExit);
    exitHooked = true;
  }
  openBells.add(path);
}

/**
 * A doorbell: a FIFO that this process's event loop polls and the other end of a ring writes a byte
 * to (see {@link BellRinger}) to wake it — a reader waiting for data, a writer waiting for room.
 * Waking through it is one hop — the ringer's `write(2)` wakes the event loop itself — where a futex
 * wait needs two (the futex wakes the waiter thread, which then wakes the event loop): on an
 * oversubscribed machine every hop waits for a CPU, so that second hop costs more than the system call
 * saved. Made by the sleeper at its first sleep (owner-only, or the segment's mode) under a name that
 * says its pid, removed on close or as the process exits; a killed process's is removed by the
 * surviving end or `cleanupStale`. Bytes that arrive while nobody waits only make the next wait return
 * at once: the caller re-checks its ring after every wait, as after a futex wait. Exported for
 * `@ipc/queue`, whose gets and puts sleep on one too.
 */
export class Doorbell {
  private readonly socket: Socket;
  private readonly scratch = new Uint8Array(64);
  private readonly waiters = new Set<(result: WaitResult) => void>();
  private closed = false;

  private constructor(
    /** The id the writer finds it by (with the reader's pid, see {@link doorbellPath}). */
    readonly id: number,
    private readonly path: string,
    fd: number,
  ) {
    // `onread` (reads into one small buffer, no allocation per read) is a documented option of
    // `net.connect`; the constructor takes it too (@types/node does not list it there, hence a variable).
    const options = {
      fd,
      readable: true,
      writable: false,
      onread: { buffer: this.scratch, callback: (): void => this.rang() },
    };
    this.socket = new Socket(options);
    this.socket.on('error', () => this.rang()); // a failed read ends the wait; the caller looks again
    this.socket.unref();
  }

  /**
   * Makes a doorbell with permission bits `mode`, or returns undefined where that cannot be done (no
   * FIFOs in `/dev/shm`, an old addon; or `slot` refused the id): the reader then sleeps on the futex.
   * With a `slot`, the id is recorded there before the FIFO exists, so that whoever finds this process
   * dead removes the FIFO even if it was killed while making it.
   */
  static create(mode: number, slot?: BellIdSlot): Doorbell | undefined {
    for (let tries = 0; tries < NAME_TRIES; tries++) {
      const id = randomInt(1, 2 ** 31 - 1);
      if (slot && !slot.claim(id)) return undefined;
      const path = doorbellPath(process.pid, id);
      try {
        addon().mkfifo(path, mode);
      } catch (err) {
        slot?.release(id);
        if ((err as { errno?: unknown }).errno === osConstants.errno.EEXIST) continue;
        return undefined;
      }
      try {
        // Read-write: the FIFO never reports end-of-file, whoever closes their end.
        const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOFOLLOW);
        trackOpenBell(path);
        return new Doorbell(id, path, fd);
      } catch {
        removeQuietly(path);
        slot?.release(id);
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * Sleeps until the bell rings (`'ok'`), `ms` pass (`'timed-out'`; undefined: no limit) or `signal`
   * fires (rejects with `ERR_ABORTED`). Several waits may be pending at once: a ring ends them all.
   */
  wait(ms: number | undefined, signal: AbortSignal | undefined): Promise<WaitResult> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.closed) return Promise.resolve('ok');
    return new Promise<WaitResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        finish();
        reject(abortError(signal as AbortSignal));
      };
      const finish = (): void => {
        this.waiters.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!this.closed && this.waiters.size === 0) this.socket.unref();
      };
      const waiter = (result: WaitResult): void => {
        finish();
        resolve(result);
      };
      this.waiters.add(waiter);
      if (ms !== undefined) timer = setTimeout(() => waiter('timed-out'), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.socket.ref();
    });
  }

  /** Ends the pending waits now, as if the bell rang (at close; or woken from this process). */
  interrupt(): void {
    this.rang();
  }

  /** Ends the pending waits, closes the FIFO and removes its name. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.rang();
    this.closed = true;
    this.socket.destroy();
    removeQuietly(this.path);
    openBells.delete(this.path);
  }

  private rang(): void {
    for (const waiter of this.waiters) waiter('ok');
  }
}

/**
 * The ringing side of a {@link Doorbell}: opens it by path (once per pid and bell id, kept open) and
 * writes one byte to ring it. Exported for `@ipc/queue`.
 */
export class BellRinger {
  private fd = -1;
  private pid = 0;
  private id = 0;
  private readonly byte = new Uint8Array(1);

  /** Rings doorbell `id` of the process `pid`; false when it cannot (the caller then wakes the sleeper another way). */
  ring(pid: number, id: number): boolean {
    if (this.fd < 0 || pid !== this.pid || id !== this.id) {
      this.close();
      try {
        this.fd = openSync(
          doorbellPath(pid, id),
          constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW,
        );
      } catch {
        return false;
      }
      this.pid = pid;
      this.id = id;
    }
    try {
      writeSync(this.fd, this.byte);
    } catch (err) {
      // A full FIFO holds enough rings already.
      return (err as { code?: unknown }).code === 'EAGAIN';
    }
    return true;
  }

  /** Closes the doorbell it had open. Idempotent. */
  close(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
    this.fd = -1;
  }
}

/** Removes doorbell `id` of the process `pid` (gone already: nothing). */
export function removeDoorbell(pid: number, id: number): void {
  removeQuietly(doorbellPath(pid, id));
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

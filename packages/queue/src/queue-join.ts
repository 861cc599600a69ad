import { IpcError, throwIfAborted } from '@ipc/core';
import { futexSleep, futexWake } from '@ipc/shm';
import type { ProcessTable } from './process-table.js';
import { deadlineOf, LIVENESS_MS, timedOut } from './queue-deadline.js';
import { W_HEAD, W_IN_FLIGHT, W_JOIN, W_JOIN_WAITERS, W_REQUEUED, W_TAIL } from './queue-layout.js';
import type { QueueRing } from './queue-ring.js';
import { recoverDead } from './queue-recovery.js';

/**
 * Python's `task_done()` / `join()` across processes: the process table counts each process's
 * unfinished tasks (messages got, not yet marked done); `W_JOIN` is bumped on every change that may
 * end a join, and joiners sleep on it.
 */
export class JoinCounter {
  constructor(
    private readonly ring: QueueRing,
    private readonly table: ProcessTable,
  ) {}

  /** Marks one task done; throws `ERR_INVALID_ARGUMENT` when called more times than messages were got. */
  taskDone(): void {
    if (!this.table.taskDone()) {
      throw new IpcError('ERR_INVALID_ARGUMENT', 'taskDone() called more times than messages were got');
    }
    const i32 = this.ring.i32;
    Atomics.add(i32, W_JOIN, 1);
    if (Atomics.load(i32, W_JOIN_WAITERS) > 0) futexWake(i32, W_JOIN);
  }

  /**
   * Resolves once the queue is empty and every task is done — by any process (see `Queue.join`);
   * `checkOpen` throws once the handle closed.
   */
  async join(
    options: { signal?: AbortSignal | undefined; timeout?: number | undefined },
    checkOpen: () => void,
  ): Promise<void> {
    const deadline = deadlineOf(options);
    const i32 = this.ring.i32;
    for (;;) {
      checkOpen();
      throwIfAborted(options.signal);
      Atomics.add(i32, W_JOIN_WAITERS, 1);
      let slept: string;
      try {
        const seen = Atomics.load(i32, W_JOIN);
        if (this.joined()) return;
        const now = Date.now();
        if (deadline !== undefined && now >= deadline) throw timedOut(options.timeout);
        const ms = Math.min(LIVENESS_MS, deadline === undefined ? LIVENESS_MS : deadline - now);
        slept = await futexSleep(i32, W_JOIN, seen, ms, options.signal);
      } finally {
        Atomics.sub(i32, W_JOIN_WAITERS, 1);
      }
      if (slept === 'timed-out') {
        this.table.sweep();
        recoverDead(this.ring, this.table);
      }
    }
  }

  private joined(): boolean {
    const i32 = this.ring.i32;
    return (
      Atomics.load(i32, W_HEAD) === Atomics.load(i32, W_TAIL) &&
      Atomics.load(i32, W_REQUEUED) <= 0 &&
      Atomics.load(i32, W_IN_FLIGHT) <= 0 &&
      this.table.unfinished() <= 0 &&
      this.table.claims() <= 0
    );
  }
}

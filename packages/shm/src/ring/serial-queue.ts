/**
 * Runs async tasks one after another, in call order, and counts those not settled yet, so that a
 * caller finding it idle may do its work synchronously instead (the fast paths of `ShmChannel`).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private count = 0;

  /** Tasks queued and not settled yet. */
  get pending(): number {
    return this.count;
  }

  /** Settles (never rejects) once every task queued so far has settled. */
  get idle(): Promise<unknown> {
    return this.tail;
  }

  /** Runs `task` after the tasks queued before it; its result or failure goes to the caller. */
  run<R>(task: () => Promise<R>): Promise<R> {
    this.count++;
    const run = this.tail.then(task);
    const settled = (): void => {
      this.count--;
    };
    // Registered before the caller's own reaction: the count drops before the caller resumes, so its
    // next call can take the synchronous path again.
    this.tail = run.then(settled, settled);
    return run;
  }
}

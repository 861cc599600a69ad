/** Failed spins in a row after which one spin gets the whole budget again, to see if it now pays. */
const RETRY_FULL_EVERY = 16;
/** After waking the peer, spin only one time in this many (with the full budget). */
const SPIN_AFTER_WAKE_EVERY = 8;
/** How far failures shrink the budget: to this fraction of the full one. */
const MIN_FRACTION = 1 / 32;

/**
 * A busy-wait with an adaptive budget, for the spin phase of spin-then-sleep. A spin that fails halves
 * the next budget (down to 1/32 of the full one), one that succeeds doubles it: on a machine where the
 * peer gets no core while we spin, spinning only steals its CPU.
 *
 * A budget shrunk below the peer's response time could never succeed again, so every 16th failed spin
 * in a row uses the full budget. When the caller has just woken the peer, the answer comes only after
 * the peer's wake-up, which needs a core: spinning meanwhile takes that core on a busy machine, so the
 * spinner then does not spin, except one time in 8 with the full budget (not counted as a failure):
 * two peers that both sleep, each waking the other, would otherwise never get back to spinning.
 */
export class Spinner {
  private readonly fullMs: number;
  private budgetMs: number;
  private failures = 0;
  private wakes = 0;

  /** `maxMicros`: the full budget (0: never spin). */
  constructor(maxMicros: number) {
    this.fullMs = maxMicros / 1000;
    this.budgetMs = this.fullMs;
  }

  /** Whether spinning is on at all. */
  get enabled(): boolean {
    return this.fullMs > 0;
  }

  /**
   * Busy-polls `ready` for up to the current budget; true as soon as it returns true. `wokePeer`: the
   * caller has just woken the peer it waits for (see the class doc).
   */
  spin(ready: () => boolean, wokePeer = false): boolean {
    let full = false;
    if (wokePeer) {
      if (++this.wakes % SPIN_AFTER_WAKE_EVERY !== 0) return false;
      full = true;
    }
    const retry = this.failures % RETRY_FULL_EVERY === RETRY_FULL_EVERY - 1;
    const budget = full || retry ? this.fullMs : this.budgetMs;
    const end = performance.now() + budget;
    do {
      for (let i = 0; i < 32; i++) {
        if (ready()) {
          this.failures = 0;
          this.budgetMs = Math.min(this.fullMs, budget * 2);
          return true;
        }
      }
    } while (performance.now() < end);
    if (!full) {
      this.failures++;
      this.budgetMs = Math.max(this.fullMs * MIN_FRACTION, this.budgetMs / 2);
    }
    return false;
  }
}

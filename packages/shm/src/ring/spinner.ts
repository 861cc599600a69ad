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
 * the peer's wake-up, which needs a core: with a core free, spinning the full budget catches it (and
 * two peers that both sleep, each waking the other, get back to spinning); on a busy machine it only
 * takes the core the peer needs. So a spin right after a wake-up uses the full budget (its failure
 * is not counted) as long as the last such spin succeeded; once one failed, only one in 8 does, to
 * see whether it pays again.
 */
export class Spinner {
  private readonly fullMs: number;
  private budgetMs: number;
  private failures = 0;
  private wakes = 0;
  private spinAfterWakePays = true;

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
    if (wokePeer) {
      if (!this.spinAfterWakePays && ++this.wakes % SPIN_AFTER_WAKE_EVERY !== 0) return false;
      this.spinAfterWakePays = this.poll(ready, this.fullMs);
      if (this.spinAfterWakePays) {
        // The peer answers fast: the regular budget can be full again too.
        this.failures = 0;
        this.budgetMs = this.fullMs;
      }
      return this.spinAfterWakePays;
    }
    const retry = this.failures % RETRY_FULL_EVERY === RETRY_FULL_EVERY - 1;
    const budget = retry ? this.fullMs : this.budgetMs;
    if (this.poll(ready, budget)) {
      this.failures = 0;
      this.budgetMs = Math.min(this.fullMs, budget * 2);
      return true;
    }
    this.failures++;
    this.budgetMs = Math.max(this.fullMs * MIN_FRACTION, this.budgetMs / 2);
    return false;
  }

  private poll(ready: () => boolean, budgetMs: number): boolean {
    const end = performance.now() + budgetMs;
    do {
      for (let i = 0; i < 32; i++) if (ready()) return true;
    } while (performance.now() < end);
    return false;
  }
}

import type { QueueRing } from './queue-ring.js';
import type { QueueTaker } from './queue-take.js';

/** How long a handle may hold claimed records without handing one out before they go back, in ms. */
const CLAIM_IDLE_MS = 10;

/**
 * Watches the records a handle claimed ahead (see `S_CLAIMED`): while it holds some, checks every
 * {@link CLAIM_IDLE_MS} that its gets still take them; if not (the application stopped getting),
 * puts them back for the other consumers. A loop of gets never lets the timer run before it has
 * returned them all.
 */
export class ClaimWatch {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ring: QueueRing,
    private readonly taker: QueueTaker,
    /** Whether the handle closed (its close puts the claims back itself). */
    private readonly isClosed: () => boolean,
  ) {}

  /** Starts watching, if the handle holds claims and no watch runs. */
  watch(): void {
    if (this.#timer !== undefined || this.taker.claimed === 0) return;
    let seen = this.taker.claimed;
    const check = (): void => {
      const left = this.taker.claimed;
      this.#timer = undefined;
      if (left === 0 || this.isClosed()) return;
      if (left !== seen) {
        seen = left;
        this.#timer = setTimeout(check, CLAIM_IDLE_MS).unref();
        return;
      }
      // Gives up if the handle closes meanwhile (close puts the claims back itself).
      this.release(() => {
        if (this.isClosed()) throw new Error('closed');
      }).catch(() => undefined);
    };
    this.#timer = setTimeout(check, CLAIM_IDLE_MS).unref();
  }

  /** Stops watching (at close). */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Puts this handle's claims back (see `QueueTaker.releaseClaimsLocked`); `check` may abort the wait for the lock. */
  async release(check: () => void): Promise<void> {
    if (this.taker.claimed === 0) return;
    const lock = this.ring.headLock;
    await lock.acquire(check);
    try {
      this.taker.releaseClaimsLocked();
    } finally {
      lock.release();
    }
  }
}

import type { Ring, RingSide } from './ring.js';

/** Least time between two liveness checks of the peer (reads of `/proc`), in ms. */
const PROBE_EVERY_MS = 20;

/**
 * The peer on one side of a ring, as a waiting end sees it: whether it is another process (worth
 * spinning for), and when to check in `/proc` that it still lives — only before sleeping, and at
 * most once per {@link PROBE_EVERY_MS}, so that a busy channel never pays for it per message.
 */
export class PeerProbe {
  private lastProbe = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ring: Ring,
    private readonly side: RingSide,
  ) {}

  /** Whether the peer attached and is another process (spinning for this one's own records never pays). */
  get remote(): boolean {
    const pid = this.ring.pid(this.side);
    return pid !== 0 && pid !== process.pid;
  }

  /** Whether a liveness check in `/proc` is due now (true at most once per {@link PROBE_EVERY_MS}). */
  due(): boolean {
    const now = performance.now();
    if (now - this.lastProbe < PROBE_EVERY_MS) return false;
    this.lastProbe = now;
    return true;
  }
}

import type { TestRunner } from './test-runner.js';

/** How long the after-test release waits for a hung test's channels to close before it cleans up. */
const CLOSE_BOUND_MS = 5000;

/** What a test holds: channels to close, then whatever else its fixture made. */
export interface Held {
  /** Closes the test's channels (idempotent, like every channel's `close`). */
  close: () => Promise<unknown>;
  /** Releases the rest: folders, servers, processes. */
  cleanup?: (() => Promise<void>) | undefined;
}

/** Something with a `close` (a channel). */
interface Closable {
  close(): Promise<unknown>;
}

/** What a test holds of a pair of channels: both ends, then the fixture's `cleanup`. */
export function heldPair(pair: {
  a: Closable;
  b: Closable;
  cleanup?: (() => Promise<void>) | undefined;
}): Held {
  return { close: () => Promise.allSettled([pair.a.close(), pair.b.close()]), cleanup: pair.cleanup };
}

/** What a test holds of a peer process: this side's channel, then the fixture's `cleanup` (which ends the process). */
export function heldPeer(peer: { channel: Closable; cleanup?: (() => Promise<void>) | undefined }): Held {
  return { close: () => peer.channel.close(), cleanup: peer.cleanup };
}

/**
 * What a suite's tests hold (pairs, peers, queues), released once more after each test. A test
 * that timed out never reaches its own `finally`: without this, its sockets, folders and child
 * processes would stay for the rest of the run, and a hang in one test would fail the leftovers
 * check too. After a test, the release waits {@link CLOSE_BOUND_MS} at most for the closes (a hung
 * transport may never close), then cleans up.
 */
export class HeldResources {
  private readonly held = new Set<Held>();

  /** Registers the after-test release with `runner`; call it inside the suite's `describe`. */
  releaseAfterEach(runner: TestRunner): void {
    runner.afterEach?.(() => this.releaseLeft());
  }

  /** Runs `body` holding `held`; releases it when `body` settles (closes awaited, unbounded). */
  async using<T>(held: Held, body: () => Promise<T>): Promise<T> {
    this.held.add(held);
    try {
      return await body();
    } finally {
      if (this.held.delete(held)) {
        await held.close();
        await held.cleanup?.();
      }
    }
  }

  /** Releases what tests left, the latest first (a consumer a queue test started, then the queue). */
  private async releaseLeft(): Promise<void> {
    const left = [...this.held].reverse();
    this.held.clear();
    for (const held of left) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_BOUND_MS)));
      await Promise.race([held.close().catch(() => undefined), bound]);
      clearTimeout(timer);
      await held.cleanup?.();
    }
  }
}

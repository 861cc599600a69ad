import { machineOversubscribed } from './cpu-load.js';

/** Shrinkings in a row after which one spin gets the whole budget again, to see if it now pays. */
const RETRY_FULL_EVERY = 16;
/** How far failures shrink the budget: to this fraction of the full one. */
const MIN_FRACTION = 1 / 32;
/** A spin right after waking the peer lasts this many times the full budget (it waits out the wake-up). */
const AFTER_WAKE_FACTOR = 4;
/** What comes later than this (ms) after the spin began is slow: spinning for it did not pay. */
const SLOW_ANSWER_MS = 1;
/** Spins in a row that must fail on an oversubscribed machine before the spinner sleeps at once... */
const FAILS_TO_YIELD = 3;
/** ...for this long (ms); then it tries spinning again. */
const OVERSUBSCRIBED_QUIET_MS = 10;
/** After this many slow answers in a row, waking the peer is followed by sleeping at once. */
const SLOW_ANSWERS_TO_SLEEP = 4;
/**
 * A gap this long (ms) between two reads of the clock while spinning (which reads it every 32
 * polls, a microsecond apart) means the spinning thread lost its CPU: more threads want to run than
 * there are CPUs.
 */
const PREEMPTED_GAP_MS = 0.2;
/** After a preempted spin, the spinner sleeps at once for this long (ms), then tries a spin again. */
const FIRST_BACKOFF_MS = 10;
/** Preempted spins in a row double that, up to this (ms). */
const MAX_BACKOFF_MS = 640;
/** Failed spins in a row, each answered soon after, that make a steady pace: the budget then shrinks too. */
const NEAR_MISSES_TO_SHRINK = 4;

/**
 * A busy-wait with an adaptive budget, for the spin phase of spin-then-sleep. When what the caller
 * waits for comes only long after a failed spin (over 1 ms: an idle or slow peer), spinning only
 * burns CPU (and on a busy machine steals the peer's), so the next budget is halved, down to 1/32
 * of the full one; a spin that succeeds doubles it. A spin that failed but whose message came soon
 * after (the peer was briefly off its core) leaves the full budget: on a loaded machine, a shrunk
 * budget would miss every quick answer and keep both peers sleeping — unless it keeps happening
 * (4 in a row): then messages come at a steady pace a little slower than the budget (big messages,
 * each taking the sender longer than the budget to write), spinning for each only burns the CPU the
 * sender needs, and the budget shrinks as for slow answers. Every 16th shrinking in a row, a spin
 * uses the full budget again, to see if it now pays.
 *
 * Right after the caller woke the peer, the answer comes only after the peer's wake-up, which on a
 * virtual machine with an idle core can take 20–200 µs: then the spin lasts 4 times the full budget,
 * for sleeping instead would make the peer wake the caller in turn, and two peers that keep waking
 * each other never get back to spinning. Only a peer that answers slowly (4 answers in a row later
 * than 1 ms) is not waited for that way, until it answers quickly again.
 *
 * When the spinning thread is preempted (a gap of over 0.2 ms between two reads of the clock: more
 * threads want to run than there are CPUs), spinning steals the CPU its peer needs to answer: the
 * spin ends there, and the spinner sleeps at once — no spin, not even after waking the peer — for
 * 10 ms, then tries one spin again; each preempted try doubles that (up to 640 ms), and a spin that
 * ends unpreempted resets it. So an oversubscribed machine makes the waiters sleep in the kernel at
 * once, and a quiet one brings the spin back within a few tries. (Like Linux's adaptive mutexes,
 * which spin only while the lock's owner is on a CPU; here the own thread's preemption is what can
 * be seen without a system call.)
 *
 * When 3 spins in a row failed while more threads want to run than the machine has CPUs (the
 * kernel's count of runnable threads, sampled every 10 ms: see `machineOversubscribed`), the spinner
 * sleeps at once for 10 ms, then tries spinning again: a spinning thread may hold the very CPU the
 * thread it waits for needs. Measured with 2 busy loops beside a ring channel on 2 CPUs (medians of 4
 * launches): spinning on regardless made a round trip 421–437 µs in most launches (each side spun out
 * its budget while the other waited for its CPU); with this rule 12–19 µs, and quiet W1 kept its
 * 2–4 µs. The count of runnable threads alone is no verdict: on a quiet machine it reads 3–4 while two
 * peers spin (V8's own threads, the harness), so a spin that pays is never stopped by it.
 *
 * The caller reports with {@link Spinner.arrived} when it got what it waited for after sleeping. One
 * spinner per waiting end (each learns from its own history). Exported for `@ipc/queue`.
 */
export class Spinner {
  private readonly fullMs: number;
  private budgetMs: number;
  private failures = 0;
  private nearMisses = 0;
  private slowAnswers = 0;
  private wokeAt = Number.NaN;
  private missedAt = Number.NaN;
  private backoffMs = 0; // 0: not preempted lately
  private quietUntil = Number.NEGATIVE_INFINITY; // no spin before this time (after a preempted spin)
  private failedInRow = 0; // spins in a row that ended without what they waited for

  /**
   * `maxMicros`: the full budget (0: never spin); `now`: the clock, in ms; `backOffWhenPreempted`:
   * whether a preempted spin turns spinning off for a while (see the class doc; default true);
   * `sleepWhenOversubscribed`: no spin while more threads want to run than there are CPUs (see the
   * class doc; default true).
   */
  constructor(
    maxMicros: number,
    private readonly now: () => number = () => performance.now(),
    private readonly backOffWhenPreempted = true,
    private readonly sleepWhenOversubscribed = true,
  ) {
    this.fullMs = maxMicros / 1000;
    this.budgetMs = this.fullMs;
  }

  /** Whether spinning is on at all. */
  get enabled(): boolean {
    return this.fullMs > 0;
  }

  /**
   * Busy-polls `ready` for up to the current budget; true as soon as it returns true. `wokePeer`: the
   * caller has just woken the peer whose answer it waits for (see the class doc).
   */
  spin(ready: () => boolean, wokePeer = false): boolean {
    const now = this.now();
    if (now < this.quietUntil) return false;
    if (this.sleepWhenOversubscribed && this.failedInRow >= FAILS_TO_YIELD && machineOversubscribed()) {
      // The last spin did not pay and more threads want to run than there are CPUs: sleep at once
      // for a while (a spin may be what keeps the peer off a CPU), then try a spin again.
      this.failedInRow = 0;
      this.quietUntil = now + OVERSUBSCRIBED_QUIET_MS;
      return false;
    }
    if (wokePeer) {
      this.wokeAt = now;
      if (this.slowAnswers >= SLOW_ANSWERS_TO_SLEEP) return false;
      if (!this.poll(ready, this.fullMs * AFTER_WAKE_FACTOR)) return false;
      // The peer answers fast: the regular budget can be full again too.
      this.wokeAt = Number.NaN;
      this.slowAnswers = 0;
      this.failures = 0;
      this.budgetMs = this.fullMs;
      return true;
    }
    const retry = this.failures % RETRY_FULL_EVERY === RETRY_FULL_EVERY - 1;
    const budget = retry ? this.fullMs : this.budgetMs;
    const start = now;
    if (this.poll(ready, budget)) {
      this.failures = 0;
      this.nearMisses = 0;
      this.budgetMs = Math.min(this.fullMs, budget * 2);
      return true;
    }
    this.missedAt = start;
    return false;
  }

  /** The caller got what it waited for after sleeping: how long it took counts (see the class doc). */
  arrived(): void {
    const now = this.now();
    if (!Number.isNaN(this.wokeAt)) {
      this.slowAnswers = now - this.wokeAt > SLOW_ANSWER_MS ? this.slowAnswers + 1 : 0;
      this.wokeAt = Number.NaN;
    }
    if (!Number.isNaN(this.missedAt)) {
      const late = now - this.missedAt > SLOW_ANSWER_MS;
      this.nearMisses = late ? 0 : this.nearMisses + 1;
      if (late || this.nearMisses >= NEAR_MISSES_TO_SHRINK) {
        this.failures++;
        this.budgetMs = Math.max(this.fullMs * MIN_FRACTION, this.budgetMs / 2);
      } else {
        this.failures = 0;
        this.budgetMs = this.fullMs;
      }
      this.missedAt = Number.NaN;
    }
  }

  /** Whether spinning is off for now because the machine is oversubscribed (see the class doc). */
  get oversubscribed(): boolean {
    return this.backoffMs > 0;
  }

  /** Polls `ready` for `budgetMs`; false also as soon as the thread was preempted (see the class doc). */
  private poll(ready: () => boolean, budgetMs: number): boolean {
    let last = this.now();
    const end = last + budgetMs;
    for (;;) {
      for (let i = 0; i < 32; i++) if (ready()) return this.unpreempted(true);
      const t = this.now();
      if (this.backOffWhenPreempted && t - last > PREEMPTED_GAP_MS) {
        this.backoffMs =
          this.backoffMs === 0 ? FIRST_BACKOFF_MS : Math.min(2 * this.backoffMs, MAX_BACKOFF_MS);
        this.quietUntil = t + this.backoffMs;
        const got = ready();
        this.failedInRow = got ? 0 : this.failedInRow + 1;
        return got;
      }
      if (t >= end) return this.unpreempted(false);
      last = t;
    }
  }

  private unpreempted(result: boolean): boolean {
    this.backoffMs = 0;
    this.failedInRow = result ? 0 : this.failedInRow + 1;
    return result;
  }
}

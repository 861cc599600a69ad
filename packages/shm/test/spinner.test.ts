import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { machineOversubscribed } from '../src/cpu-load.js';
import { Spinner } from '../src/spinner.js';

/** `sleepWhenOversubscribed` off: these tests drive the budget by a fake clock, whatever the machine's load. */
const LOAD_BLIND = false;

/** A clock that advances 1 µs each time it is read, and by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return {
    now: () => (t += 0.001),
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A condition that never holds and counts how often it was polled. */
function never(): { ready: () => boolean; calls: () => number } {
  let n = 0;
  return {
    ready: () => {
      n++;
      return false;
    },
    calls: () => n,
  };
}

/**
 * A spin that fails, then what it waited for arriving `ms` later: the polls that spin made (its
 * budget, in polls).
 */
function missing(spinner: Spinner, clock: { advance: (ms: number) => void }): (ms: number) => number {
  return (ms) => {
    const cond = never();
    spinner.spin(cond.ready);
    clock.advance(ms);
    spinner.arrived();
    return cond.calls();
  };
}

describe('Spinner (the spin phase of ShmChannel and the queue)', () => {
  it('returns true as soon as the condition holds, false after its budget', () => {
    const spinner = new Spinner(50, fakeClock().now, true, LOAD_BLIND);
    let calls = 0;
    expect(spinner.spin(() => ++calls === 3)).toBe(true);
    expect(calls).toBe(3);
    expect(spinner.spin(() => false)).toBe(false);
    expect(new Spinner(0).enabled).toBe(false);
  });

  it('shrinks its budget only for what comes long after a failed spin, and retries the full one', () => {
    const clock = fakeClock();
    const missBy = missing(new Spinner(64, clock.now, true, LOAD_BLIND), clock);
    const polls: number[] = [];
    const full = missBy(0.1); // came soon after: the budget stays full
    expect(missBy(5)).toBe(full); // came late: the next budget is halved
    for (let i = 0; i < 15; i++) polls.push(missBy(5));
    expect(polls[0]).toBeLessThan(full);
    expect(polls[13]).toBeLessThan(polls[0] ?? 0);
    expect(polls[14]).toBe(full); // the 16th in a row: the full budget again
    expect(missBy(0.1)).toBeLessThan(full); // a late retry does not restore it...
    expect(missBy(0.1)).toBe(full); // ...a quick arrival does
  });

  it('shrinks its budget for a steady pace of answers that each come a little after a failed spin', () => {
    const clock = fakeClock();
    const spinner = new Spinner(64, clock.now, true, LOAD_BLIND);
    const missBy = missing(spinner, clock);
    const full = missBy(0.2);
    // Three more near misses keep the full budget (the peer may have been off its core)...
    for (let i = 0; i < 3; i++) expect(missBy(0.2)).toBe(full);
    // ...after the 4th in a row the pace is steady: spinning does not pay, the budget shrinks.
    const shrunk = missBy(0.2);
    expect(shrunk).toBeLessThan(full);
    expect(missBy(0.2)).toBeLessThan(shrunk);
    expect(spinner.spin(() => true)).toBe(true); // a spin that pays ends the run
    missBy(0.2);
    // A near miss outside a run restores the full budget (to one batch of polls between clock reads).
    expect(Math.abs(missBy(0.2) - full)).toBeLessThanOrEqual(32);
  });

  it('after waking the peer spins longer, and sleeps at once only for a peer that answers slowly', () => {
    const clock = fakeClock();
    const spinner = new Spinner(10, clock.now, true, LOAD_BLIND);
    const regular = never();
    spinner.spin(regular.ready);
    const afterWake = never();
    expect(spinner.spin(afterWake.ready, true)).toBe(false);
    expect(afterWake.calls()).toBeGreaterThan(3 * regular.calls());
    // Four answers in a row later than 1 ms: waking the peer is followed by sleeping at once.
    for (let i = 0; i < 4; i++) {
      spinner.spin(() => false, true);
      clock.advance(5);
      spinner.arrived();
    }
    const skipped = never();
    expect(spinner.spin(skipped.ready, true)).toBe(false);
    expect(skipped.calls()).toBe(0);
    // A quick answer turns the spin after a wake-up back on.
    spinner.arrived();
    const again = never();
    spinner.spin(again.ready, true);
    expect(again.calls()).toBeGreaterThan(0);
  });

  it('stops spinning when its thread loses the CPU, sleeps at once for a while, and resumes once unpreempted', () => {
    const clock = fakeClock();
    const spinner = new Spinner(50, clock.now, true, LOAD_BLIND);
    // Preempted in the middle of a spin (the clock jumps 1 ms between two reads): the spin ends early.
    let polls = 0;
    const preempted = (): boolean => {
      if (++polls === 40) clock.advance(1);
      return false;
    };
    expect(spinner.spin(preempted)).toBe(false);
    expect(polls).toBeLessThan(100);
    expect(spinner.oversubscribed).toBe(true);
    // For the next 10 ms no spin at all, not even after waking the peer.
    const skipped = never();
    expect(spinner.spin(skipped.ready)).toBe(false);
    expect(spinner.spin(skipped.ready, true)).toBe(false);
    expect(skipped.calls()).toBe(0);
    // Then one try; preempted again, the pause doubles (20 ms): still none 15 ms later.
    clock.advance(11);
    polls = 0;
    expect(spinner.spin(preempted)).toBe(false);
    clock.advance(15);
    expect(spinner.spin(skipped.ready)).toBe(false);
    expect(skipped.calls()).toBe(0);
    // A try that is not preempted turns spinning back on for good.
    clock.advance(10);
    const quiet = never();
    expect(spinner.spin(quiet.ready)).toBe(false);
    expect(quiet.calls()).toBeGreaterThan(0);
    expect(spinner.oversubscribed).toBe(false);
    let calls = 0;
    expect(spinner.spin(() => ++calls === 5)).toBe(true);
  });

  it('keeps spinning through a preemption when told not to back off', () => {
    const clock = fakeClock();
    const spinner = new Spinner(50, clock.now, false, LOAD_BLIND);
    let polls = 0;
    const preempted = (): boolean => {
      if (++polls === 40) clock.advance(1);
      return false;
    };
    expect(spinner.spin(preempted)).toBe(false);
    expect(spinner.oversubscribed).toBe(false);
    const next = never();
    spinner.spin(next.ready);
    expect(next.calls()).toBeGreaterThan(0);
  });

  it('stops spinning after 3 failed spins while more threads want to run than there are CPUs (busy processes beside it)', async () => {
    // One busy process more than there are CPUs: the kernel's runnable count stays above the CPUs.
    const busy = Array.from({ length: availableParallelism() + 1 }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    );
    try {
      while (!machineOversubscribed()) await sleep(10);
      const spinner = new Spinner(20);
      // Three spins that do not pay (a spin may be what keeps the peer off a CPU)...
      for (let i = 0; i < 3; i++) expect(spinner.spin(() => false)).toBe(false);
      // ...and the next ones do not spin at all, not even right after waking the peer.
      const cond = never();
      expect(spinner.spin(cond.ready)).toBe(false);
      expect(cond.calls()).toBe(0);
      expect(spinner.spin(cond.ready, true)).toBe(false);
      expect(cond.calls()).toBe(0);
    } finally {
      for (const child of busy) child.kill('SIGKILL');
    }
  }, 60_000);
});

import { describe, expect, it } from '@jest/globals';
import { Spinner } from '../src/ring/spinner.js';

describe('Spinner (the spin phase of ShmChannel)', () => {
  it('returns true as soon as the condition holds, false after its budget', () => {
    const spinner = new Spinner(50);
    let calls = 0;
    expect(spinner.spin(() => ++calls === 3)).toBe(true);
    expect(calls).toBe(3);
    expect(spinner.spin(() => false)).toBe(false);
    expect(new Spinner(0).enabled).toBe(false);
  });

  it('after a failed spin right after waking the peer, spins only one such time in 8 until one pays', () => {
    const spinner = new Spinner(20);
    let calls = 0;
    const never = (): boolean => {
      calls++;
      return false;
    };
    expect(spinner.spin(never, true)).toBe(false); // spun, failed: stop spinning after wake-ups
    expect(calls).toBeGreaterThan(0);
    const polled: boolean[] = [];
    for (let i = 0; i < 16; i++) {
      calls = 0;
      spinner.spin(never, true);
      polled.push(calls > 0);
    }
    expect(polled.filter(Boolean)).toHaveLength(2);
    expect(polled.indexOf(true)).toBe(7);
    // One that pays turns spinning after wake-ups back on.
    let next = 0;
    while (!spinner.spin(() => true, true)) next++;
    expect(next).toBeLessThan(8);
    calls = 0;
    spinner.spin(never, true);
    expect(calls).toBeGreaterThan(0);
  });

  it('still spins with failures that do not follow a wake-up', () => {
    const spinner = new Spinner(20);
    for (let i = 0; i < 40; i++) spinner.spin(() => false);
    let calls = 0;
    expect(spinner.spin(() => ++calls > 1)).toBe(true);
  });
});

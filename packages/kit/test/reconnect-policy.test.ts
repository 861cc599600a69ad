import { describe, expect, it } from '@jest/globals';
import { isIpcError } from '@ipc/core';
import { RECONNECT_DEFAULTS, reconnectDelay, reconnectPolicy } from '@ipc/kit';

const noJitter = (): number => 0;
const fullJitter = (): number => 1 - Number.EPSILON; // Math.random's largest value, about

function invalid(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return isIpcError(err, 'ERR_INVALID_ARGUMENT') ? err.message : `not ERR_INVALID_ARGUMENT: ${String(err)}`;
  }
  return undefined;
}

describe('reconnectPolicy', () => {
  it('fills in the defaults, and a transport default over them', () => {
    expect(reconnectPolicy(undefined)).toEqual(RECONNECT_DEFAULTS);
    expect(reconnectPolicy({ initialDelay: 7 }, { defaults: { maxAttempts: 10 } })).toEqual({
      ...RECONNECT_DEFAULTS,
      initialDelay: 7,
      maxAttempts: 10,
    });
  });

  it('takes a former name of maxAttempts, and refuses it disagreeing with maxAttempts', () => {
    const settings = { defaults: { maxAttempts: 10 }, formerMaxAttempts: ['attempts'] };
    expect(reconnectPolicy({ attempts: 3 } as object, settings).maxAttempts).toBe(3);
    expect(reconnectPolicy({ maxAttempts: 4 }, settings).maxAttempts).toBe(4);
    expect(reconnectPolicy({ maxAttempts: 5, attempts: 5 } as object, settings).maxAttempts).toBe(5);
    expect(invalid(() => reconnectPolicy({ maxAttempts: 5, attempts: 6 } as object, settings))).toMatch(
      /maxAttempts and attempts/,
    );
    expect(invalid(() => reconnectPolicy({ attempts: '3' } as object, settings))).toMatch(/attempts must/);
    // A name the transport did not declare is not read.
    expect(reconnectPolicy({ maxRetries: 2 } as object, settings).maxAttempts).toBe(10);
  });

  it.each([
    [{ maxAttempts: -1 }, /maxAttempts/],
    [{ maxAttempts: 1.5 }, /maxAttempts/],
    [{ maxAttempts: Number.NaN }, /maxAttempts/],
    [{ initialDelay: -1 }, /initialDelay/],
    [{ initialDelay: Infinity }, /initialDelay/],
    [{ initialDelay: 200, maxDelay: 100 }, /maxDelay/],
    [{ factor: 0.5 }, /factor/],
    [{ jitter: 1.5 }, /jitter/],
    [{ jitter: -0.1 }, /jitter/],
  ])('refuses %j with ERR_INVALID_ARGUMENT naming the option', (options, name) => {
    expect(invalid(() => reconnectPolicy(options, { name: 'reconnect' }))).toMatch(name);
  });

  it('accepts 0 and Infinity attempts', () => {
    expect(reconnectPolicy({ maxAttempts: 0 }).maxAttempts).toBe(0);
    expect(reconnectPolicy({ maxAttempts: Infinity }).maxAttempts).toBe(Infinity);
  });
});

describe('reconnectDelay', () => {
  const policy = reconnectPolicy({ initialDelay: 100, maxDelay: 1000, factor: 2, jitter: 0.5 });

  it('grows by the factor from initialDelay, then stays at maxDelay', () => {
    const delays = [0, 1, 2, 3, 4, 5, 50, 5000].map((n) => reconnectDelay(policy, n, noJitter));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('takes at most jitter of each wait off, at random', () => {
    for (let n = 0; n < 8; n++) {
      const base = reconnectDelay(policy, n, noJitter);
      expect(reconnectDelay(policy, n, fullJitter)).toBe(Math.round(base * 0.5));
      expect(reconnectDelay(policy, n, () => 0.5)).toBe(Math.round(base * 0.75));
      for (let i = 0; i < 20; i++) {
        const d = reconnectDelay(policy, n);
        expect(d).toBeGreaterThanOrEqual(Math.round(base * 0.5));
        expect(d).toBeLessThanOrEqual(base);
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it('stays finite however far it grows, and 0 with an initial delay of 0', () => {
    const steep = reconnectPolicy({ initialDelay: 1, maxDelay: 30_000, factor: 10 });
    expect(reconnectDelay(steep, 10_000, noJitter)).toBe(30_000);
    const zero = reconnectPolicy({ initialDelay: 0, maxDelay: 100, factor: 10 });
    expect(reconnectDelay(zero, 10_000, noJitter)).toBe(0);
    const flat = reconnectPolicy({ initialDelay: 50, maxDelay: 50, factor: 1, jitter: 0 });
    expect(reconnectDelay(flat, 3, fullJitter)).toBe(50);
  });
});

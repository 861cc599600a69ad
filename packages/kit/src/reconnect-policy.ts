import { IpcError } from '@ipc/core';

/**
 * How a transport retries a connection it lost: exponential back-off with jitter. Every field is
 * optional; times are in milliseconds. The wait before attempt `n` (0-based) is
 * `min(maxDelay, initialDelay × factorⁿ)`, minus a random share of up to `jitter` of it (see
 * {@link reconnectDelay}).
 */
export interface ReconnectOptions {
  /**
   * Failed attempts in a row before giving up (the transport then fails for good). `0` gives up at
   * the first loss; `Infinity` never gives up. Default: the transport's (see its README).
   */
  maxAttempts?: number | undefined;
  /** Milliseconds before the first attempt. Default 100. */
  initialDelay?: number | undefined;
  /** The longest wait between attempts, in milliseconds. Default 5,000. */
  maxDelay?: number | undefined;
  /** Each wait is the previous one times this (≥ 1). Default 2. */
  factor?: number | undefined;
  /**
   * The random share (0–1) taken off each wait, so that many clients do not retry in step: a wait
   * `d` becomes a value in `(d × (1 − jitter), d]`. Default 0.5.
   */
  jitter?: number | undefined;
}

/** {@link ReconnectOptions} with every default filled in and checked (made by {@link reconnectPolicy}). */
export interface ReconnectPolicy {
  /** Failed attempts in a row before giving up: an integer ≥ 0, or `Infinity`. */
  readonly maxAttempts: number;
  /** Milliseconds before the first attempt (≥ 0). */
  readonly initialDelay: number;
  /** The longest wait in milliseconds (≥ `initialDelay`). */
  readonly maxDelay: number;
  /** The growth of each wait over the previous one (≥ 1). */
  readonly factor: number;
  /** The random share taken off each wait (0–1). */
  readonly jitter: number;
}

/** The defaults of {@link reconnectPolicy}: 100 ms doubling up to 5 s, jitter 0.5, never giving up. */
export const RECONNECT_DEFAULTS: ReconnectPolicy = Object.freeze({
  maxAttempts: Infinity,
  initialDelay: 100,
  maxDelay: 5000,
  factor: 2,
  jitter: 0.5,
});

/** How a transport adapts {@link reconnectPolicy} to its own options (see there). */
export interface ReconnectPolicySettings {
  /** The transport's defaults, over {@link RECONNECT_DEFAULTS} (say `{ maxAttempts: 10 }`). */
  defaults?: Partial<ReconnectPolicy> | undefined;
  /**
   * Former names of `maxAttempts` that the transport still accepts from its users (say `attempts`).
   * One is used when `maxAttempts` is not given; both given with different values is
   * `ERR_INVALID_ARGUMENT`.
   */
  formerMaxAttempts?: readonly string[] | undefined;
  /** The option's name in error messages. Default `'reconnect'`. */
  name?: string | undefined;
}

/**
 * Fills in the defaults of `options` and checks every value: a bad one throws `IpcError`
 * `ERR_INVALID_ARGUMENT` naming the option (a negative delay, `maxDelay` below `initialDelay`, a
 * `factor` below 1, a `jitter` outside 0–1, a `maxAttempts` that is not a whole number ≥ 0).
 *
 * @example
 * ```ts
 * const policy = reconnectPolicy(options.reconnect, { defaults: { maxAttempts: 10 } });
 * for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
 *   await sleep(reconnectDelay(policy, attempt));
 *   if (await tryToConnect()) return;
 * }
 * ```
 */
export function reconnectPolicy(
  options: ReconnectOptions | undefined,
  settings: ReconnectPolicySettings = {},
): ReconnectPolicy {
  const name = settings.name ?? 'reconnect';
  const bad = (what: string): IpcError => new IpcError('ERR_INVALID_ARGUMENT', `${name}.${what}`);
  const o = options ?? {};
  let maxAttempts = o.maxAttempts;
  for (const former of settings.formerMaxAttempts ?? []) {
    const value = (o as Record<string, unknown>)[former];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw bad(`${former} must be a number`);
    if (maxAttempts !== undefined && maxAttempts !== value) {
      throw bad(`maxAttempts and ${former} (its former name) disagree: give only maxAttempts`);
    }
    maxAttempts = value;
  }
  const d = { ...RECONNECT_DEFAULTS, ...settings.defaults };
  const policy: ReconnectPolicy = {
    maxAttempts: maxAttempts ?? d.maxAttempts,
    initialDelay: o.initialDelay ?? d.initialDelay,
    maxDelay: o.maxDelay ?? d.maxDelay,
    factor: o.factor ?? d.factor,
    jitter: o.jitter ?? d.jitter,
  };
  if (!(
    policy.maxAttempts === Infinity ||
    (Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 0)
  )) {
    throw bad('maxAttempts must be a whole number ≥ 0, or Infinity');
  }
  if (!(policy.initialDelay >= 0 && Number.isFinite(policy.initialDelay))) {
    throw bad('initialDelay must be a finite number ≥ 0');
  }
  if (!(policy.maxDelay >= policy.initialDelay && Number.isFinite(policy.maxDelay))) {
    throw bad('maxDelay must be finite and ≥ initialDelay');
  }
  if (!(policy.factor >= 1 && Number.isFinite(policy.factor)))
    throw bad('factor must be a finite number ≥ 1');
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw bad('jitter must be between 0 and 1');
  return policy;
}

/**
 * The wait in whole milliseconds before reconnect attempt `attempt` (0-based):
 * `min(maxDelay, initialDelay × factor^attempt)`, minus `jitter × random()` of it.
 *
 * @param random - returns a number in [0, 1); inject a fixed one in tests. Default `Math.random`.
 */
export function reconnectDelay(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  // 0 × ∞ is NaN: an initial delay of 0 stays 0 however far the factor grows.
  const grown = policy.initialDelay === 0 ? 0 : policy.initialDelay * policy.factor ** attempt;
  const base = Math.min(policy.maxDelay, grown);
  return Math.round(base * (1 - policy.jitter * random()));
}

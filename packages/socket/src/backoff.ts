import { IpcError } from '@ipc/core';

/** Options of a reconnecting client (`connect(address, { reconnect })`). */
export interface ReconnectOptions {
  /** Failed attempts in a row before giving up (the channel then fails with `ERR_PEER_GONE`). Default 10. */
  attempts?: number | undefined;
  /** Milliseconds before the first attempt. Default 100. */
  initialDelay?: number | undefined;
  /** The longest wait between attempts, in milliseconds. Default 5,000. */
  maxDelay?: number | undefined;
  /** Each wait is the previous one times this. Default 2. */
  factor?: number | undefined;
  /** Random share (0–1) taken off each wait, so many clients do not retry in step. Default 0.5. */
  jitter?: number | undefined;
  /**
   * What `send` (and `request`) does while disconnected: `'buffer'` waits for the next connection
   * (at most `bufferLimit` sends wait; one more rejects), `'fail'` rejects at once with `ERR_PEER_GONE`.
   * Either way nothing is dropped silently: a waiting send rejects if reconnecting gives up.
   * Default `'buffer'`.
   */
  whileDisconnected?: 'buffer' | 'fail' | undefined;
  /** How many sends may wait while disconnected in `'buffer'` mode. Default 1,000. */
  bufferLimit?: number | undefined;
}

/** Reconnect options with every default filled in. */
export type ReconnectPolicy = Required<{ [K in keyof ReconnectOptions]: NonNullable<ReconnectOptions[K]> }>;

/** Fills in defaults and checks the values. */
export function reconnectPolicy(
  options: ReconnectOptions | boolean | undefined,
): ReconnectPolicy | undefined {
  if (options === undefined || options === false) return undefined;
  const o = options === true ? {} : options;
  const policy: ReconnectPolicy = {
    attempts: o.attempts ?? 10,
    initialDelay: o.initialDelay ?? 100,
    maxDelay: o.maxDelay ?? 5000,
    factor: o.factor ?? 2,
    jitter: o.jitter ?? 0.5,
    whileDisconnected: o.whileDisconnected ?? 'buffer',
    bufferLimit: o.bufferLimit ?? 1000,
  };
  const bad = (what: string): IpcError => new IpcError('ERR_INVALID_ARGUMENT', `reconnect.${what}`);
  if (!(policy.attempts >= 1)) throw bad('attempts must be at least 1');
  if (!(policy.initialDelay >= 0) || !(policy.maxDelay >= policy.initialDelay)) {
    throw bad('initialDelay must be ≥ 0 and maxDelay ≥ initialDelay');
  }
  if (!(policy.factor >= 1)) throw bad('factor must be ≥ 1');
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw bad('jitter must be between 0 and 1');
  if (policy.whileDisconnected !== 'buffer' && policy.whileDisconnected !== 'fail') {
    throw bad('whileDisconnected must be "buffer" or "fail"');
  }
  if (!(Number.isInteger(policy.bufferLimit) && policy.bufferLimit >= 0))
    throw bad('bufferLimit must be an integer ≥ 0');
  return policy;
}

/** The wait before attempt `n` (0-based): exponential, capped, with jitter taken off. */
export function backoffDelay(policy: ReconnectPolicy, n: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** n);
  return base * (1 - policy.jitter * random());
}

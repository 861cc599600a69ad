/** Reconnect timing of an AMQP connection. Times in ms. */
export interface ReconnectOptions {
  /** The first delay. Default 100. */
  initialDelay?: number | undefined;
  /** The delay never exceeds this. Default 5000. */
  maxDelay?: number | undefined;
  /** Each attempt multiplies the delay by this. Default 2. */
  factor?: number | undefined;
  /** Random spread: the delay is taken uniformly from [d × (1 − jitter), d]. Default 0.5. */
  jitter?: number | undefined;
  /** Attempts before giving up (the connection then closes with `ERR_SERVICE_UNAVAILABLE`). Default unlimited. */
  maxRetries?: number | undefined;
}

/** The delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter. */
export function backoffDelay(attempt: number, options: ReconnectOptions = {}, random = Math.random): number {
  const initial = options.initialDelay ?? 100;
  const max = options.maxDelay ?? 5000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const base = Math.min(max, initial * factor ** Math.min(attempt, 30));
  return Math.round(base * (1 - jitter * random()));
}

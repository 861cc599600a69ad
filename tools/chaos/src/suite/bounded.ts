/** The outcome of {@link within}: the value, the rejection, or a timeout. */
export type Bounded<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'hung' };

/**
 * Waits for `promise` at most `ms` milliseconds. The promise is not cancelled (nothing can cancel it);
 * a late rejection is swallowed.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<Bounded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Bounded<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung' }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Bounded<T> => ({ kind: 'value', value }),
        (error: unknown): Bounded<T> => ({ kind: 'error', error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The `code` of an error (an IpcError's, or a Node error's), or a short description. */
export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; code?: unknown };
    if (e.name === 'IpcError' && typeof e.code === 'string') return e.code;
    if (typeof e.code === 'string') return `untyped ${e.code}`;
    if (typeof e.name === 'string') return `untyped ${e.name}`;
  }
  return `untyped ${typeof err}`;
}

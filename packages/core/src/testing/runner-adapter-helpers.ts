import { IpcError } from '../errors.js';
import type { TestBody } from './test-runner.js';

/** Wraps a body so that the runner always gets a promise (a sync body is awaited the same way). */
export function asyncBody(body: TestBody): () => Promise<void> {
  return async () => {
    await body();
  };
}

/** The test functions Jest injects as globals (its default, `injectGlobals: true`), or a typed error. */
export function injectedGlobals<T>(runner: string, names: readonly string[]): T {
  const scope = globalThis as Record<string, unknown>;
  const missing = names.filter((name) => typeof scope[name] !== 'function');
  if (missing.length > 0) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `${runner}: no global ${missing.join(', ')}: pass the runner's functions (for example its module namespace) instead`,
    );
  }
  return scope as T;
}

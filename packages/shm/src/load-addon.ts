import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IpcError } from '@ipc/core';
import { loadAddon } from '@ipc/kit';
import type { NativeAddon } from './native.js';

let loaded: NativeAddon | undefined;

/**
 * The native addon (`ipc_shm`, see `loadAddon` in `@ipc/kit`), loaded once. Throws
 * `ERR_UNSUPPORTED` off Linux or when no binary loads (the message names the fix).
 */
export function addon(): NativeAddon {
  if (loaded) return loaded;
  // src/ (tests) and dist/ (the package) both sit one level below the package root.
  const result = loadAddon<NativeAddon>({
    root: join(dirname(fileURLToPath(import.meta.url)), '..'),
    pkg: '@ipc/shm',
    feature: '@ipc/shm',
  });
  if (result instanceof IpcError) throw result;
  loaded = result;
  return loaded;
}

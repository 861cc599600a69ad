import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcError } from '@ipc/core';
import { loadAddon } from '@ipc/kit';
import type { NativeAddon } from './native.js';

let loaded: NativeAddon | IpcError | undefined;

/**
 * The native addon (`ipc_socket`, see `loadAddon` in `@ipc/kit`), loaded once. Returns (never
 * throws) an `ERR_UNSUPPORTED` error off Linux or when no binary loads; the outcome is remembered, so a
 * missing addon costs one lookup per process.
 */
export function addon(): NativeAddon | IpcError {
  // src/ (tests) and dist/ (the package) both sit one level below the package root.
  loaded ??= loadAddon<NativeAddon>({
    root: join(dirname(fileURLToPath(import.meta.url)), '..'),
    pkg: '@ipc/socket',
    feature: '@ipc/socket: peer credentials (SO_PEERCRED)',
  });
  return loaded;
}

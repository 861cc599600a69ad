import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IpcError } from '@ipc/core';
import type { NativeAddon } from './native.js';

let loaded: NativeAddon | IpcError | undefined;

/**
 * The native addon, loaded once: `build/Release/ipc_fifo.node` (compiled at install, or by
 * `npm run build:addon`), else the prebuilt `prebuilds/<platform>-<arch>/ipc_fifo.napi.node`
 * shipped in the package. Returns (never throws) an `ERR_UNSUPPORTED` error off Linux or when neither
 * loads; the outcome is remembered, so a missing addon costs one lookup per process.
 */
export function addon(): NativeAddon | IpcError {
  loaded ??= load();
  return loaded;
}

function load(): NativeAddon | IpcError {
  if (process.platform !== 'linux') {
    return new IpcError(
      'ERR_UNSUPPORTED',
      `@ipc/fifo: FIFO buffer sizes (F_SETPIPE_SZ) are supported on Linux only, not ${process.platform}`,
    );
  }
  const require = createRequire(import.meta.url);
  // src/ (tests) and dist/ (the package) both sit one level below the package root.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const candidates = [
    join(root, 'build', 'Release', 'ipc_fifo.node'),
    join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'ipc_fifo.napi.node'),
  ];
  const errors: unknown[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      return require(file) as NativeAddon;
    } catch (err) {
      errors.push(err);
    }
  }
  return new IpcError(
    'ERR_UNSUPPORTED',
    '@ipc/fifo: the pipe-size addon is missing or does not load (it is built at install; ' +
      `run \`npm run build:addon -w @ipc/fifo\` or \`npm rebuild @ipc/fifo\`); tried ${candidates.join(', ')}`,
    { cause: errors[0] },
  );
}

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IpcError } from '@ipc/core';
import type { NativeAddon } from './native.js';

let loaded: NativeAddon | undefined;

/**
 * The native addon, loaded once: `build/Release/ipc_shm.node` (compiled at install, or by
 * `npm run build:addon`), else the prebuilt `prebuilds/<platform>-<arch>/ipc_shm.napi.node` shipped in
 * the package. Throws `ERR_UNSUPPORTED` off Linux or when neither loads.
 */
export function addon(): NativeAddon {
  if (loaded) return loaded;
  if (process.platform !== 'linux') {
    throw new IpcError('ERR_UNSUPPORTED', `@ipc/shm supports Linux only for now, not ${process.platform}`);
  }
  const require = createRequire(import.meta.url);
  // src/ (tests) and dist/ (the package) both sit one level below the package root.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const candidates = [
    join(root, 'build', 'Release', 'ipc_shm.node'),
    join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'ipc_shm.napi.node'),
  ];
  const errors: unknown[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      loaded = require(file) as NativeAddon;
      return loaded;
    } catch (err) {
      errors.push(err);
    }
  }
  throw new IpcError(
    'ERR_UNSUPPORTED',
    `@ipc/shm: the native addon is missing or does not load (run \`npm run build:addon -w @ipc/shm\`); tried ${candidates.join(', ')}`,
    { cause: errors[0] },
  );
}

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { IpcError } from '@ipc/core';

/** Where and what {@link loadAddon} loads. */
export interface LoadAddonOptions {
  /** The package's folder: the one holding its `package.json`, `build/` and `prebuilds/`. */
  root: string;
  /** The package's npm name (`@ipc/shm`), for the fix the error message names. */
  pkg: string;
  /** What needs the addon (`@ipc/fifo: FIFO buffer sizes`), for messages. */
  feature: string;
}

type NodeGypBuild = (dir: string) => unknown;

/**
 * Loads the Node-API addon of the package at `root` with `node-gyp-build` (a dependency of each
 * package with a native piece, resolved from that package): `build/Release/*.node` when it was
 * compiled from source (in this repository by `npm ci`, for a user by `npm rebuild <pkg>`), else the
 * prebuilt binary shipped in the package for this platform, architecture and C library,
 * `prebuilds/<platform>-<arch>/<name>.napi.<glibc|musl>.node`. No install script is needed for a
 * prebuilt binary. Never throws: returns an `ERR_UNSUPPORTED` error off Linux or when no binary
 * loads, naming the user's fix (`npm rebuild <pkg>` with a C compiler and install scripts allowed).
 */
export function loadAddon<T>(options: LoadAddonOptions): T | IpcError {
  const { root, pkg, feature } = options;
  if (process.platform !== 'linux') {
    return new IpcError(
      'ERR_UNSUPPORTED',
      `${feature}: supported on Linux only for now, not ${process.platform}`,
    );
  }
  try {
    const require = createRequire(join(root, 'package.json'));
    const load = require('node-gyp-build') as NodeGypBuild;
    return load(root) as T;
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    return new IpcError(
      'ERR_UNSUPPORTED',
      `${feature}: the native addon of ${pkg} does not load on ${process.platform}-${process.arch} ` +
        `with Node ${process.versions.node} (${reason}). ${pkg} ships prebuilt binaries for ` +
        `linux-x64 (glibc, musl) and linux-arm64 (glibc); elsewhere compile it from source: ` +
        `\`npm rebuild ${pkg}\` with python3, make and a C compiler installed, and install scripts ` +
        `allowed for ${pkg} (pnpm: onlyBuiltDependencies; Bun: trustedDependencies; npm: allowScripts)`,
      { cause: err },
    );
  }
}

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Options of {@link addonLoader}. */
export interface AddonLoaderOptions {
  /** What needs the addon (`@ipc/fifo: FIFO buffer sizes`), for messages; default the package name. */
  feature?: string | undefined;
  /**
   * Whether the package cannot work without the addon: the getter then throws the `ERR_UNSUPPORTED`
   * error instead of returning it. Default false.
   */
  required?: boolean | undefined;
}

/**
 * A package's addon getter, in one line: `moduleUrl` is `import.meta.url` of any module of the
 * package (its root is the nearest folder above holding a `package.json`, from `src/` or `dist/`
 * alike), `pkg` its npm name. The getter loads with {@link loadAddon} on its first call and
 * remembers the outcome, so a missing addon costs one lookup per process. It returns the
 * `ERR_UNSUPPORTED` error (never throws), or with `required: true` throws it.
 *
 * @example
 * ```ts
 * export const addon = addonLoader<NativeAddon>(import.meta.url, '@ipc/fifo', { feature: '@ipc/fifo: FIFO buffer sizes' });
 * const native = addon();
 * if (!(native instanceof IpcError)) native.setPipeSize(fd, size);
 * ```
 */
export function addonLoader<T>(
  moduleUrl: string,
  pkg: string,
  options: AddonLoaderOptions & { required: true },
): () => T;
export function addonLoader<T>(
  moduleUrl: string,
  pkg: string,
  options?: AddonLoaderOptions,
): () => T | IpcError;
export function addonLoader<T>(
  moduleUrl: string,
  pkg: string,
  options: AddonLoaderOptions = {},
): () => T | IpcError {
  const feature = options.feature ?? pkg;
  let loaded: T | IpcError | undefined;
  return () => {
    loaded ??= loadAddon<T>({ root: packageRoot(moduleUrl), pkg, feature });
    if (options.required === true && loaded instanceof IpcError) throw loaded;
    return loaded;
  };
}

/** The nearest folder at or above the module's that holds a `package.json`. */
function packageRoot(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { IpcError } from '../errors.js';

/**
 * Loads the Node-API addon `name` of the package at `root` (for transport packages with a native
 * piece): `<root>/build/Release/<name>.node` (compiled at install, or by `npm run build:addon`), else
 * the prebuilt `<root>/prebuilds/<platform>-<arch>/<name>.napi.node` shipped in the package. Never
 * throws: returns an `ERR_UNSUPPORTED` error off Linux (`what` is the feature, for the message) or when
 * neither file loads (`rebuild` says how to build it).
 */
export function loadAddon<T>(root: string, name: string, what: string, rebuild: string): T | IpcError {
  if (process.platform !== 'linux') {
    return new IpcError(
      'ERR_UNSUPPORTED',
      `${what}: supported on Linux only for now, not ${process.platform}`,
    );
  }
  const require = createRequire(join(root, 'package.json'));
  const candidates = [
    join(root, 'build', 'Release', `${name}.node`),
    join(root, 'prebuilds', `${process.platform}-${process.arch}`, `${name}.napi.node`),
  ];
  const errors: unknown[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      return require(file) as T;
    } catch (err) {
      errors.push(err);
    }
  }
  return new IpcError(
    'ERR_UNSUPPORTED',
    `${what}: the native addon is missing or does not load (${rebuild}); tried ${candidates.join(', ')}`,
    { cause: errors[0] },
  );
}

import { linkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Moves `src` into folder `dir` under `name` without ever replacing a file there (`link(2)` then
 * `unlink(2)`): when `name` is taken, a suffix `.<n>` is added. Returns the name used.
 */
export function moveNoClobber(src: string, dir: string, name: string): string {
  for (let n = 0; ; n++) {
    const target = n === 0 ? name : `${name}.${n}`;
    try {
      linkSync(src, join(dir, target));
    } catch (err) {
      if ((err as { code?: unknown }).code === 'EEXIST' && n < 1000) continue;
      throw err;
    }
    unlinkSync(src);
    return target;
  }
}

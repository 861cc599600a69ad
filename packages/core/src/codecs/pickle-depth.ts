/**
 * Checks how deep a decoded pickle nests containers, without recursion: memo references can share a
 * container or make a cycle, and a hostile stream can fill a container after it was nested, so the
 * depth is only known once the value is complete. A cycle is not depth (Python makes them too).
 */
import { IpcError } from '../errors.js';

function children(v: object): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  if (v instanceof Map) return [...v.keys(), ...v.values()];
  return Object.values(v);
}

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array);
}

/** Throws `ERR_DECODE` when `root` nests containers more than `maxDepth` deep. */
export function checkPickleDepth(root: unknown, maxDepth: number): void {
  if (!isContainer(root)) return;
  // Post-order walk: the height of each container once its children's are known.
  const height = new Map<object, number>();
  const onPath = new Set<object>();
  const frames: { node: object; items: unknown[]; i: number; h: number }[] = [];
  const enter = (node: object): void => {
    if (frames.length >= maxDepth) {
      throw new IpcError('ERR_DECODE', `pickle: containers nest more than ${maxDepth} deep`);
    }
    onPath.add(node);
    frames.push({ node, items: children(node), i: 0, h: 1 });
  };
  enter(root);
  while (frames.length > 0) {
    const f = frames[frames.length - 1] as (typeof frames)[number];
    if (f.i < f.items.length) {
      const c = f.items[f.i++];
      if (!isContainer(c) || onPath.has(c)) continue;
      const known = height.get(c);
      if (known !== undefined) {
        if (known + 1 > f.h) f.h = known + 1;
        if (f.h + frames.length - 1 > maxDepth) {
          throw new IpcError('ERR_DECODE', `pickle: containers nest more than ${maxDepth} deep`);
        }
      } else enter(c);
      continue;
    }
    frames.pop();
    onPath.delete(f.node);
    height.set(f.node, f.h);
    const parent = frames[frames.length - 1];
    if (parent !== undefined && f.h + 1 > parent.h) parent.h = f.h + 1;
  }
}

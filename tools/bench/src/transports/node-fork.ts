/**
 * Rivals: `child_process.fork` with `serialization: 'json'` and `'advanced'` (the Node IPC channel,
 * `child.send` / `process.send`). W3 over `'json'` travels as base64 strings: JSON cannot carry bytes.
 */
import type { BenchCase, LinkSides } from '../adapter.js';
import { nodeIpcLink } from '../links/node-ipc-link.js';

function forkSides(serialization: 'json' | 'advanced'): LinkSides {
  const base64 = serialization === 'json';
  return {
    async driver(ctx) {
      const child = ctx.spawnPeer({ serialization });
      return nodeIpcLink(child, {
        bytes: ctx.payload === 'bytes',
        base64: base64 && ctx.payload === 'bytes',
      });
    },
    async peer(ctx) {
      return nodeIpcLink(process, {
        bytes: ctx.payload === 'bytes',
        base64: base64 && ctx.payload === 'bytes',
      });
    },
  };
}

export const cases: BenchCase[] = [
  {
    name: 'node-fork-json',
    group: 'node',
    description: "child_process.fork, serialization 'json' (process.send)",
    workloads: ['W1', 'W2', 'W3'],
    encoding: (w) => (w === 'W3' ? 'JSON string of base64' : 'JSON (Node IPC, newline-delimited)'),
    link: forkSides('json'),
  },
  {
    name: 'node-fork-advanced',
    group: 'node',
    description: "child_process.fork, serialization 'advanced' (v8.serialize)",
    workloads: ['W1', 'W2', 'W3'],
    encoding: () => 'v8 structured clone (Node IPC)',
    link: forkSides('advanced'),
  },
];

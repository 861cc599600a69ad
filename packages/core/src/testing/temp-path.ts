import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh private folder (mode 0700) for one test's sockets, FIFOs or files, and its removal. */
export function tempDir(prefix = 'ipc-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A name unique to this process and call, for segments and abstract sockets (`ipc-test-<pid>-<n>-<rand>`). */
export function uniqueName(prefix = 'ipc-test'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
let counter = 0;

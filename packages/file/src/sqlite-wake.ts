import { EventEmitter } from 'node:events';

/**
 * Same-process wake-ups: a sender in this process tells receivers of the same database file at
 * once, without waiting for inotify. Keyed by the resolved database path.
 */
const local = new EventEmitter();
local.setMaxListeners(0);

/** Tells this process's receivers on `path` that something changed. */
export function notifyLocal(path: string): void {
  local.emit(path);
}

/** Calls `listener` when a sender in this process writes to `path`; returns the unsubscribe. */
export function onLocal(path: string, listener: () => void): () => void {
  local.on(path, listener);
  return () => local.off(path, listener);
}

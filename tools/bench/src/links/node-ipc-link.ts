import type { ChildProcess } from 'node:child_process';
import { Inbox } from '@ipc/kit';
import type { Link } from '../adapter.js';

/** The `process.send` / `child.send` surface shared by both ends of a Node IPC channel. */
export interface NodeIpcEnd {
  send?(
    message: unknown,
    sendHandle?: undefined,
    options?: undefined,
    callback?: (err: Error | null) => void,
  ): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  disconnect?(): void;
  readonly connected?: boolean;
}

/** Sends in flight before `send` asks the caller to wait (the channel's callbacks release them). */
const WINDOW_OBJECTS = 1024;
const WINDOW_BYTES_MESSAGES = 4;

/**
 * A {@link Link} over a Node IPC channel (`child_process.fork` / `spawn` with `'ipc'`): `child.send`
 * on the parent side, `process.send` on the child side. Backpressure: a window of sends whose write
 * callbacks have not fired yet. With `base64` (for `serialization: 'json'`, which cannot carry bytes)
 * byte messages travel as base64 strings and are decoded back into a Buffer.
 */
export function nodeIpcLink(
  end: NodeIpcEnd,
  options: { bytes: boolean; base64: boolean; child?: ChildProcess },
): Link {
  const inbox = new Inbox<unknown>();
  const window = options.bytes ? WINDOW_BYTES_MESSAGES : WINDOW_OBJECTS;
  let pending = 0;
  let wake: (() => void) | undefined;
  const written = (err: Error | null): void => {
    pending -= 1;
    if (err) inbox.fail(err);
    if (wake !== undefined && pending <= window / 2) {
      const w = wake;
      wake = undefined;
      w();
    }
  };
  end.on(
    'message',
    options.base64 ? (m) => inbox.push(Buffer.from(m as string, 'base64')) : (m) => inbox.push(m),
  );
  end.on('disconnect', () => inbox.end());
  const send = end.send?.bind(end);
  if (send === undefined) throw new Error('this process has no IPC channel');
  return {
    send(message) {
      const value = options.base64 ? Buffer.from(message as Uint8Array).toString('base64') : message;
      pending += 1;
      send(value, undefined, undefined, written);
      if (pending < window) return undefined;
      return new Promise<void>((resolve) => (wake = resolve));
    },
    recv: () => inbox.recv(),
    async close() {
      inbox.close();
      if (end.connected === true) end.disconnect?.();
    },
  };
}

/**
 * Named pipes (FIFOs) as typed message channels — Python's `os.mkfifo`, for shell tools and programs
 * in any language. `createFifo` makes one (owner-only), `openFifo(path, 'r')` gives a Receiver that
 * reads through the event loop, `openFifo(path, 'w')` a Sender that waits for a reader. Frames are
 * length-prefixed by default, or newline-delimited JSON for the shell (`framing: 'lines'`).
 *
 * @example
 * ```ts
 * import { createFifo, openFifo } from '@ipc/fifo';
 *
 * await using fifo = await createFifo('/tmp/app.fifo');
 * await using rx = await openFifo<{ a: number }>(fifo.path, 'r', { framing: 'lines', codec: 'json' });
 * // in a shell: echo '{"a":1}' > /tmp/app.fifo
 * console.log(await rx.recv()); // { a: 1 }
 * ```
 *
 * @packageDocumentation
 */
export { createFifo, removeFifo, isFifo, type CreateFifoOptions, type Fifo } from './create-fifo.js';
export { openFifo, type OpenFifoOptions } from './open-fifo.js';
export { FifoReceiver, type FifoReceiverOptions } from './fifo-receiver.js';
export { AtomicFrameSender } from './atomic-frame-sender.js';
export { FifoChannel, openFifoChannel, type FifoChannelPaths } from './fifo-channel.js';
export { PIPE_BUF } from './pipe-buf.js';
export { DEFAULT_PIPE_SIZE } from './pipe-size.js';

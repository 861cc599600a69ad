/**
 * Helpers that @ipc transport packages share and users should not need: the receive buffer every
 * transport uses, a FIFO, and the lock wait loop. No stability promise across minor versions.
 *
 * @packageDocumentation
 */
export { Deque } from './deque.js';
export { loadAddon, type LoadAddonOptions } from './load-addon.js';
export { Inbox, type InboxOptions } from './inbox.js';
export { SendGate } from './send-gate.js';
export { asBuffer } from '../codecs/as-buffer.js';
export { checkMaxFrameBytes } from '../framing/check-max-frame-bytes.js';
export { lockMemory, sharedWords } from '../locks/lock-memory.js';
export { RECHECK_MS, waitUntil } from '../locks/wait-until.js';
export { feedDecoder } from '../stream/direct-reads.js';
export {
  bufferTooSmall,
  bytesOnly,
  offerToDecoder,
  receiveInto,
  recvIntoTarget,
} from '../stream/receive-into.js';

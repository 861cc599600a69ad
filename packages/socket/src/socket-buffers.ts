import type { Socket } from 'node:net';
import { IpcError } from '@ipc/core';
import type { SocketAddress } from './address.js';
import { addon } from './load-addon.js';
import { socketFd } from './socket-fd.js';

/** The smallest `socketBufferBytes` (the kernel's own floor is about this). */
const MIN_SOCKET_BUFFER_BYTES = 4096;
/** The largest `socketBufferBytes` (the kernel may cap it lower, at `net.core.wmem_max`). */
const MAX_SOCKET_BUFFER_BYTES = 64 * 1024 * 1024;

/**
 * Checks the `socketBufferBytes` option of `listen` and `connect`: `undefined`, or an integer from
 * 4,096 to 64 MiB. Throws `ERR_INVALID_ARGUMENT` otherwise.
 */
export function checkSocketBufferBytes(bytes: unknown): void {
  if (bytes === undefined) return;
  if (
    typeof bytes !== 'number' ||
    !Number.isInteger(bytes) ||
    bytes < MIN_SOCKET_BUFFER_BYTES ||
    bytes > MAX_SOCKET_BUFFER_BYTES
  ) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `socketBufferBytes must be an integer from ${MIN_SOCKET_BUFFER_BYTES} to ${MAX_SOCKET_BUFFER_BYTES}, got ${typeof bytes === 'number' ? bytes : typeof bytes}`,
    );
  }
}

/**
 * Sets the kernel send and receive buffers of a new connection on a Unix socket (path or abstract) to
 * `bytes` (`setsockopt` `SO_SNDBUF`/`SO_RCVBUF`, see the `socketBufferBytes` option). Does nothing
 * when `bytes` is undefined, for TCP/TLS (the kernel sizes those itself), and where the native addon
 * is missing (the kernel's default stays). Never throws: a failure leaves the default, which works.
 */
export function applySocketBuffers(socket: Socket, address: SocketAddress, bytes: number | undefined): void {
  if (bytes === undefined || (address.kind !== 'unix' && address.kind !== 'abstract')) return;
  const native = addon();
  const fd = socketFd(socket);
  if (native instanceof IpcError || fd === undefined) return;
  try {
    native.socketBuffers(fd, bytes);
  } catch {
    // the socket closed meanwhile, say: the default buffers are still correct
  }
}

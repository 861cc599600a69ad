import type { Socket } from 'node:net';

/**
 * The file descriptor of a connected `net.Socket`, or `undefined` where it cannot be reached.
 * Undocumented but stable since Node 0.x: a net.Socket's libuv handle (Pipe, TCP) exposes its fd.
 */
export function socketFd(socket: Socket): number | undefined {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : undefined;
}

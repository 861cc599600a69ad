import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { within } from '../suite/bounded.js';

/** Opens a plain net.Socket to an `unix://…` or `tcp://host:port` address (bounded to 10 s). */
export async function rawConnect(address: string): Promise<Socket> {
  const url = new URL(address);
  const socket =
    url.protocol === 'unix:'
      ? connect(decodeURIComponent(url.pathname))
      : connect(Number(url.port), url.hostname);
  socket.on('error', () => undefined);
  const ok = await within(once(socket, 'connect'), 10_000);
  if (ok.kind !== 'value') {
    socket.destroy();
    throw new Error(`cannot connect to ${address}`);
  }
  return socket;
}

/** Writes `chunk`, waiting for `drain` at most `ms` (false when the peer stopped reading). */
export async function writeBounded(socket: Socket, chunk: Uint8Array, ms: number): Promise<boolean> {
  if (socket.write(chunk)) return true;
  const drained = await within(once(socket, 'drain'), ms);
  return drained.kind === 'value';
}

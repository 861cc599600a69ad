import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { IpcError, throwIfAborted, toIpcError } from '@ipc/core';
import { nodePath, parseAddress, type AddressInput, type SocketAddress } from './address.js';
import type { ListenOptions } from './listen-options.js';
import { uidPolicy } from './peer-policy.js';
import { checkSocketBufferBytes } from './socket-buffers.js';
import { SocketServer } from './server.js';
import { bindUnixSocketFile, listenOn } from './unix-socket-file.js';

/**
 * Listens on `address` (a Unix socket path, a Linux abstract name, TCP, or TLS) and returns the server.
 * A Unix socket file is made owner-only (`socketMode`, default 0600), a stale one left by a dead
 * server is replaced, a live one is never taken over (`ERR_ADDRESS_IN_USE`), and the file is removed
 * on close. Each Unix connection carries its client's credentials (`connection.peer`, `ctx.peer`);
 * `allowUids` refuses other users (see {@link ListenOptions.allowUids}, which also lists what
 * `listen` throws for it).
 *
 * @example
 * ```ts
 * await using server = await listen('unix:///run/user/1000/app.sock');
 * server.handle(async (req: { n: number }) => ({ double: req.n * 2 }));
 * ```
 */
export async function listen<Out = unknown, In = Out>(
  address: AddressInput,
  options: ListenOptions<In> = {},
): Promise<SocketServer<Out, In>> {
  throwIfAborted(options.signal);
  const parsed = parseAddress(address);
  const allowed = uidPolicy(options.allowUids, parsed);
  checkSocketBufferBytes(options.socketBufferBytes);
  let server: Server;
  if (parsed.kind === 'tls') {
    if (options.tls === undefined) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        'a tls:// address needs options.tls (at least key and cert)',
      );
    }
    server = createTlsServer(options.tls);
  } else {
    server = createNetServer();
  }
  // Made before the bind, so that it heeds connections from the first: one that arrives while the
  // bind finishes (a client retrying the address) is served, not left unread on a socket no one holds.
  const result = new SocketServer<Out, In>(server, parsed, options, allowed);
  const onAbort = (): void => void server.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let remover: (() => void) | undefined;
    let actual: SocketAddress = parsed;
    if (parsed.kind === 'unix') {
      remover = await bindUnixSocketFile(server, parsed.path, options.socketMode ?? 0o600, options.backlog);
    } else if (parsed.kind === 'abstract') {
      await listenOn(server, nodePath(parsed), options.backlog);
    } else {
      await listenTcp(server, parsed.host, parsed.port, options.backlog);
      actual = { ...parsed, port: (server.address() as AddressInfo).port };
    }
    result.listening(actual, remover);
    if (options.signal?.aborted) {
      await result.close();
      throwIfAborted(options.signal);
    }
    return result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function listenTcp(server: Server, host: string, port: number, backlog: number | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(toIpcError(err, 'ERR_INTERNAL', `cannot listen on ${host}:${port}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, backlog });
  });
}

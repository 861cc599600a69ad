import { chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { IpcError } from '@ipc/core';
import type * as zmq from 'zeromq';
import { fromZmqError } from './zmq-error.js';

/** One endpoint or several (`ipc:///path`, `tcp://host:port`, `inproc://name`). */
export type Endpoints = string | readonly string[];

/** The endpoints as a checked list. */
export function endpointList(endpoints: Endpoints): string[] {
  const list = typeof endpoints === 'string' ? [endpoints] : [...endpoints];
  if (list.length === 0) throw new IpcError('ERR_INVALID_ARGUMENT', 'at least one endpoint is needed');
  for (const e of list) {
    if (typeof e !== 'string' || !/^(ipc|tcp|inproc|ws|wss|pgm|epgm|tipc|vmci|udp):\/\/.+/.test(e)) {
      throw new IpcError('ERR_INVALID_ARGUMENT', `not a ZeroMQ endpoint: ${String(e)}`);
    }
  }
  return list;
}

/** Whether a Unix socket at `path` has a live listener (connect succeeds). */
export function isListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * Binds `socket` to every endpoint. For `ipc://` paths: a path where a live process listens is
 * refused with `ERR_ADDRESS_IN_USE` (libzmq would silently take it over), a stale socket file left
 * by a dead process is replaced, and the new socket file is made owner-only (0600).
 */
export async function bindAll(socket: zmq.Socket, endpoints: readonly string[]): Promise<void> {
  for (const endpoint of endpoints) {
    const ipcPath = endpoint.startsWith('ipc://') ? endpoint.slice('ipc://'.length) : undefined;
    if (ipcPath !== undefined && !ipcPath.startsWith('@') && (await isListening(ipcPath))) {
      throw new IpcError('ERR_ADDRESS_IN_USE', `a live process already listens on ${endpoint}`);
    }
    try {
      await socket.bind(endpoint);
    } catch (err) {
      throw fromZmqError(err, `bind ${endpoint}`);
    }
    if (ipcPath !== undefined && !ipcPath.startsWith('@') && ipcPath !== '*') {
      try {
        chmodSync(ipcPath, 0o600);
      } catch (err) {
        throw fromZmqError(err, `chmod ${ipcPath}`);
      }
    }
  }
}

/** Connects `socket` to every endpoint (ZeroMQ connects in the background and reconnects by itself). */
export function connectAll(socket: zmq.Socket, endpoints: readonly string[]): void {
  for (const endpoint of endpoints) {
    try {
      socket.connect(endpoint);
    } catch (err) {
      throw fromZmqError(err, `connect ${endpoint}`);
    }
  }
}

/** Binds or connects per `mode`; on failure closes the socket and rethrows. */
export async function attach(
  socket: zmq.Socket,
  endpoints: readonly string[],
  mode: 'bind' | 'connect',
): Promise<void> {
  try {
    if (mode === 'bind') await bindAll(socket, endpoints);
    else connectAll(socket, endpoints);
  } catch (err) {
    socket.linger = 0;
    socket.close();
    throw err;
  }
}

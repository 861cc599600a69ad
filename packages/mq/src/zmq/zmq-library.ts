import { IpcError } from '@ipc/core';
import type * as Zeromq from 'zeromq';
import { loadOptionalPeer } from '../optional-peer.js';

/** The zeromq.js module namespace. */
export type ZeromqLibrary = typeof Zeromq;

let loading: Promise<ZeromqLibrary> | undefined;
let loaded: ZeromqLibrary | undefined;

/**
 * zeromq.js, loaded on first use (it is an optional peer dependency of @ipc/mq).
 *
 * @throws IpcError `ERR_UNSUPPORTED` naming `npm install zeromq` when it is missing
 */
export function loadZeromq(): Promise<ZeromqLibrary> {
  if (loading === undefined) {
    loading = loadOptionalPeer('zeromq', () => import('zeromq')).then(
      (lib) => (loaded = lib),
      (err: unknown) => {
        loading = undefined; // a later call tries again (e.g. after `npm install zeromq`)
        throw err;
      },
    );
  }
  return loading;
}

/** zeromq.js once {@link loadZeromq} has resolved (every socket is made after it has). */
export function loadedZeromq(): ZeromqLibrary {
  if (loaded === undefined) throw new IpcError('ERR_INTERNAL', 'zeromq.js is used before it was loaded');
  return loaded;
}

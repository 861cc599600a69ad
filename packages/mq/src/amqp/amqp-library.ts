import type * as Amqplib from 'amqplib';
import { loadOptionalPeer } from '../optional-peer.js';

/** The amqplib module namespace. */
export type AmqpLibrary = typeof Amqplib;

let loading: Promise<AmqpLibrary> | undefined;

/**
 * amqplib, loaded on first use (it is an optional peer dependency of @ipc/mq).
 *
 * @throws IpcError `ERR_UNSUPPORTED` naming `npm install amqplib` when it is missing
 */
export function loadAmqplib(): Promise<AmqpLibrary> {
  if (loading === undefined) {
    loading = loadOptionalPeer('amqplib', () => import('amqplib')).catch((err: unknown) => {
      loading = undefined; // a later call tries again (e.g. after `npm install amqplib`)
      throw err;
    });
  }
  return loading;
}

import { IpcError, nackDelay, type NackOptions } from '@ipc/core';
import type { QueueDelivery } from './queue-options.js';
import type { QueueRing } from './queue-ring.js';
import { ack, nackLaterLocked, nackLocked } from './queue-settle.js';

/** Where a delivery is in the ring: the record's position and the lease of this take of it. */
export interface DeliveryKey {
  readonly position: number;
  readonly lease: number;
}

/**
 * A delivery made with ack, unsettled until its ack or nack: it is in `unsettled` until then (the
 * handle's close gives back what is left there). Once `isClosed()`, settling fails with `ERR_CLOSED`
 * (`tryAck`: false); `queueName` names the queue in errors.
 */
export function createDelivery<T>(
  ring: QueueRing,
  unsettled: Set<DeliveryKey>,
  isClosed: () => boolean,
  queueName: string,
  message: T,
  key: DeliveryKey,
): QueueDelivery<T> {
  const { position, lease } = key;
  unsettled.add(key);
  let settled = false;
  const settle = (): void => {
    if (settled) throw new IpcError('ERR_INVALID_STATE', 'this delivery was already acked or nacked');
    if (isClosed()) throw new IpcError('ERR_CLOSED', `queue ${queueName} is closed`);
    settled = true;
    unsettled.delete(key);
  };
  const tooLate = (): IpcError =>
    new IpcError(
      'ERR_TIMEOUT',
      `the visibility timeout elapsed: the message was handed out again (queue ${queueName})`,
    );
  return {
    message,
    attempt: 1,
    tryAck: () => {
      if (settled || isClosed()) return false;
      settled = true;
      unsettled.delete(key);
      return ack(ring, position, lease);
    },
    ack: async () => {
      settle();
      if (!ack(ring, position, lease)) throw tooLate();
    },
    nack: async (options: NackOptions = {}) => {
      const delay = nackDelay(options);
      settle();
      if (options.requeue === false) {
        if (!ack(ring, position, lease)) throw tooLate();
        return;
      }
      await ring.headLock.acquire(() => undefined);
      let ok: boolean;
      try {
        ok = delay > 0 ? nackLaterLocked(ring, position, lease, delay) : nackLocked(ring, position, lease);
      } finally {
        ring.headLock.release();
      }
      if (!ok) throw tooLate();
    },
  };
}

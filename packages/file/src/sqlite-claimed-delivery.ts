import { IpcError, nackDelay } from '@ipc/core';
import type { Delivery, NackOptions } from './delivery.js';
import { sqliteError } from './sqlite-database.js';
import type { Claimed, SqliteClaimPump } from './sqlite-claim-pump.js';
import { closedError, reclaimedError, type QueueStatements } from './sqlite-statements.js';
import type { SqliteWriteBatch } from './sqlite-write-batch.js';
import { notifyLocal } from './sqlite-wake.js';

/** What a delivery of a SQLite queue settles through (its {@link SqliteQueue}'s parts). */
export interface DeliveryContext<In> {
  pump: SqliteClaimPump<In>;
  writes: SqliteWriteBatch;
  stmts: QueueStatements;
  path: string;
  consumer: string;
  maxAttempts: number;
  isClosing: () => boolean;
}

/**
 * The {@link Delivery} of a claimed row: `ack()` deletes it (batched with the turn's other acks),
 * `nack()` makes it visible again after `delay` — or dead-letters it, with `requeue: false` or once
 * it was claimed `maxAttempts` times. Either fails with `ERR_TIMEOUT` when the row's visibility
 * timeout elapsed and another consumer claimed it; settling twice is `ERR_INVALID_STATE`.
 */
export function claimedDelivery<In>(c: Claimed<In>, ctx: DeliveryContext<In>): Delivery<In> {
  ctx.pump.delivered(c.id);
  let settled = false;
  const settle = (): void => {
    if (settled) throw new IpcError('ERR_INVALID_STATE', 'this delivery was already acked or nacked');
    if (ctx.isClosing()) throw closedError();
    settled = true;
    ctx.pump.settled(c.id);
  };
  return {
    message: c.message,
    attempt: c.attempt,
    ack: () => {
      try {
        settle();
      } catch (err) {
        return Promise.reject(err);
      }
      return ctx.writes.ack(c.id, c.attempt);
    },
    nack: async (options: NackOptions = {}) => {
      const delay = nackDelay(options);
      settle();
      let changes: number;
      try {
        changes =
          options.requeue === false
            ? ctx.stmts.kill.run('nacked without requeue', c.id).changes
            : c.attempt >= ctx.maxAttempts
              ? ctx.stmts.kill.run(`nacked ${c.attempt} times`, c.id).changes
              : ctx.stmts.release.run(Date.now() + delay, 0, c.id, ctx.consumer).changes;
      } catch (err) {
        throw sqliteError(err, 'nack');
      }
      if (changes !== 1) throw reclaimedError();
      notifyLocal(ctx.path);
    },
  };
}

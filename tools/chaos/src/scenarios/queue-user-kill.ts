import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errorCode, sleep, within } from '../suite/bounded.js';
import { CHAOS_PREFIX } from '../suite/run-suite.js';
import type { Scenario, ScenarioContext } from '../suite/scenario.js';

/**
 * One trial: `count` messages in a queue, a consumer (get with ack) killed mid-stream, then this
 * process drains the rest. At-least-once: every message is acked by the consumer or got here; only a
 * message the consumer got but did not finish acking may come twice.
 */
async function trial(ctx: ScenarioContext, count: number): Promise<void> {
  const { createQueue } = await import('@ipc/queue');
  const row = ctx.row('queue-user-kill consumer killed mid-take (ack)');
  const queue = createQueue<{ i: number }>(`${CHAOS_PREFIX}uq-${process.pid}-${row.tried}`, {
    capacityBytes: 1 << 20,
  });
  const log = join(ctx.dir, `consumer-${row.tried}.log`);
  const peer = ctx.children.spawnPeer('queue-consumer', { name: queue.name, log });
  try {
    for (let i = 0; i < count; i++) await queue.put({ i });
    await peer.line((l) => l === 'acked', 30_000);
    await sleep(Math.random() * 20);
    await peer.kill();
    const acked = new Set<number>();
    const acking = new Set<number>();
    for (const l of readFileSync(log, 'utf8').split('\n')) {
      if (l.startsWith('acked ')) acked.add(Number(l.slice(6)));
      else if (l.startsWith('acking ')) acking.add(Number(l.slice(7)));
    }
    const got = new Map<number, number>();
    for (;;) {
      const next = await within(queue.get({ ack: true, timeout: 3000 }), 10_000);
      if (next.kind === 'hung') return row.hang('get after the consumer was killed');
      if (next.kind === 'error') {
        if (errorCode(next.error) === 'ERR_TIMEOUT') break;
        return row.fail(`get failed: ${errorCode(next.error)}`);
      }
      await next.value.ack();
      const i = next.value.message.i;
      got.set(i, (got.get(i) ?? 0) + 1);
    }
    let lost = 0;
    let duplicated = 0;
    for (let i = 0; i < count; i++) {
      const here = got.get(i) ?? 0;
      if (here === 0 && !acked.has(i) && !acking.has(i)) lost++;
      if (here > 1 || (here === 1 && acked.has(i))) duplicated++;
    }
    // A message whose ack was under way at the kill may or may not have been removed: either is right.
    if (lost > 0)
      row.fact(
        `trial ${row.tried + 1}: the killed consumer acked ${acked.size}, ${acking.size - acked.size} in ack; ${got.size} got here, of ${count}`,
      );
    if (lost > 0)
      return row.loss(lost, `${lost} message(s) neither acked by the killed consumer nor redelivered`);
    if (duplicated > 0) return row.fail(`${duplicated} message(s) delivered again after their ack`);
    row.ok();
  } finally {
    await peer.kill();
    rmSync(log, { force: true });
    await queue.close();
    try {
      queue.unlink();
    } catch {
      // already unlinked by its last user
    }
  }
}

/** (d) Queue-user kills. */
export const queueUserKill: Scenario = {
  name: 'queue-user-kill',
  description:
    'SIGKILLs an @ipc/queue consumer in the middle of taking messages with { ack: true }: every message is acked by it or delivered again to another consumer (at-least-once), none twice after its ack',
  timeoutMs: ({ quick }) => (quick ? 120_000 : 600_000),
  async run(ctx) {
    const trials = ctx.quick ? 3 : 20;
    for (let t = 0; t < trials && !ctx.signal.aborted; t++) await trial(ctx, ctx.quick ? 2000 : 10_000);
  },
};

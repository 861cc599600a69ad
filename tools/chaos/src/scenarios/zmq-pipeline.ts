import { join } from 'node:path';
import { errorCode, within } from '../suite/bounded.js';
import type { Scenario, ScenarioContext } from '../suite/scenario.js';

async function trial(ctx: ScenarioContext, count: number, run: number): Promise<void> {
  const zmq = await import('@ipc/mq/zmq');
  const row = ctx.row(`zmq-pipeline 2 producer processes × ${count} → 1 pull (endAfter 2)`);
  const endpoint = `ipc://${join(ctx.dir, `pipeline-${run}.sock`)}`;
  const pull = await zmq.pull<{ p: number; i: number }>(endpoint, { endAfter: 2 });
  const producers = [0, 1].map((p) => ctx.children.spawnPeer('zmq-producer', { endpoint, p, count }));
  const next = [0, 0];
  let wrong: string | undefined;
  let received = 0;
  const drain = (async () => {
    for await (const m of pull) {
      received++;
      if (next[m.p] !== m.i) wrong ??= `producer ${m.p}: expected ${String(next[m.p])}, got ${m.i}`;
      next[m.p] = m.i + 1;
    }
  })();
  const done = await within(drain, ctx.quick ? 30_000 : 60_000);
  await pull.close();
  // A producer exits by itself once its close got the puller's confirmation; killing it before that
  // left its confirmation folder in /tmp (reclaimed only by a later pusher). Killed only if it hangs.
  await within(Promise.all(producers.map((p) => p.exited)), 10_000);
  for (const p of producers) await p.kill();
  if (done.kind === 'hung') {
    row.fact(`run ${run}: ${received} of ${2 * count} arrived, the iteration did not end`);
    return row.loss(2 * count - received, `the pull's for-await never ended (${2 * count - received} lost)`);
  }
  if (done.kind === 'error') return row.fail(`the pull failed: ${errorCode(done.error)}`);
  if (wrong !== undefined) return row.fail(wrong);
  if (received !== 2 * count)
    return row.loss(2 * count - received, `${2 * count - received} message(s) lost`);
  row.ok();
}

/** ZeroMQ pipeline: several producer processes pushing to one puller with end markers. */
export const zmqPipeline: Scenario = {
  name: 'zmq-pipeline',
  description:
    'two producer processes push (endOnClose) to one pull (endAfter 2) that reads all the time: every message arrives, in order per producer, and the iteration ends',
  timeoutMs: ({ quick }) => (quick ? 180_000 : 1_800_000),
  async run(ctx) {
    const runs = ctx.quick ? 1 : 20;
    for (let r = 0; r < runs && !ctx.signal.aborted; r++) await trial(ctx, 10_000, r);
  },
};

import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { within } from '../suite/bounded.js';
import type { Scenario, ScenarioContext } from '../suite/scenario.js';

async function trial(ctx: ScenarioContext, count: number, run: number): Promise<void> {
  const { spoolSender, recoverStale } = await import('@ipc/file');
  const row = ctx.row(`spool-consumers 2 producers × ${count} → 2 consumers (prefetch 64), a stop each`);
  const dir = join(mkdtempSync(join(ctx.dir, `spool-${run}-`)), 'spool');
  const consumers = [0, 1].map(() => ctx.children.spawnPeer('spool-consumer', { dir }));
  const producers = [0, 1].map((p) => ctx.children.spawnPeer('spool-producer', { dir, p, count }));
  try {
    await Promise.all(consumers.map((c) => c.line((l) => l === 'consuming')));
    await Promise.all(producers.map((p) => p.line((l) => l === 'sent', 120_000)));
    const stop = spoolSender(dir, { fsync: false });
    await stop.send({ stop: true });
    await stop.send({ stop: true });
    await stop.close();
    const ended = await within(
      Promise.all(consumers.map((c) => c.line((l) => l.startsWith('stopped '), 120_000))),
      60_000,
    );
    if (ended.kind !== 'value') {
      const done = consumers.filter((c) => c.lines.some((l) => l.startsWith('stopped '))).length;
      return row.hang(`${2 - done} of 2 consumers never got their stop`);
    }
    const got = ended.value.reduce((sum, l) => sum + Number(l.slice('stopped '.length)), 0);
    if (got !== 2 * count) return row.loss(Math.max(0, 2 * count - got), `${got} of ${2 * count} received`);
    row.ok();
  } finally {
    for (const c of [...consumers, ...producers]) await c.kill();
    recoverStale(dir);
  }
}

/** The file spool with several consumers (the benchmark's W4 shape). */
export const spoolConsumers: Scenario = {
  name: 'spool-consumers',
  description:
    'two producer processes send to one spool folder read by two consumer processes (prefetch 64); then one stop message per consumer: every message is received once and both consumers end',
  timeoutMs: ({ quick }) => (quick ? 180_000 : 1_800_000),
  async run(ctx) {
    const runs = ctx.quick ? 2 : 20;
    for (let r = 0; r < runs && !ctx.signal.aborted; r++) await trial(ctx, ctx.quick ? 2000 : 10_000, r);
  },
};

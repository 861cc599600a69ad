import { errorCode, sleep, within } from '../suite/bounded.js';
import type { Scenario } from '../suite/scenario.js';
import { PrivateRabbit } from './private-rabbitmq.js';

/** (e) A RabbitMQ restart under confirmed publishing, on a private node. */
export const rabbitmqRestart: Scenario = {
  name: 'rabbitmq-restart',
  description:
    'starts a private RabbitMQ node (own name, ports and folder; never the shared broker), publishes persistent messages to a durable queue with confirms, restarts the broker (stop_app/start_app) in the middle, then reads the queue: no confirmed message may be missing',
  timeoutMs: ({ quick }) => (quick ? 300_000 : 600_000),
  async run(ctx) {
    const row = ctx.row('rabbitmq-restart confirmed publishing');
    const why = PrivateRabbit.unavailable();
    if (why !== undefined) return row.skip(why);
    let rabbit: PrivateRabbit;
    try {
      rabbit = await PrivateRabbit.start(150_000);
    } catch (err) {
      return row.skip(`the private node did not start: ${String(err)}`);
    }
    try {
      const amqp = await import('@ipc/mq/amqp');
      const total = ctx.quick ? 3000 : 20_000;
      const conn = await amqp.connect(rabbit.url, { reconnect: { initialDelay: 200, maxDelay: 2000 } });
      const queue = await conn.queue<{ i: number }>('ipc-chaos-confirmed', { durable: true });
      const sender = queue.sender({ persistent: true });
      const confirmed = new Set<number>();
      let sent = 0;
      const refused = new Map<string, number>();
      const inFlight = new Set<Promise<void>>();
      let restarted: Promise<void> | undefined;
      let restartDone = false;
      let sentDuringRestart = 0;
      // Keep sending (paced) until `total` are sent and the restart is over, so that sends span it.
      for (let i = 0; (i < total || (restarted !== undefined && !restartDone)) && !ctx.signal.aborted; i++) {
        const p: Promise<void> = sender.send({ i }).then(
          () => void confirmed.add(i),
          (err: unknown) => void refused.set(errorCode(err), (refused.get(errorCode(err)) ?? 0) + 1),
        );
        const tracked = p.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        if (inFlight.size >= 200) await Promise.race(inFlight);
        if (restarted !== undefined && !restartDone) sentDuringRestart++;
        if (i % 50 === 0) await sleep(5);
        if (i === Math.floor(total / 3)) {
          restarted = rabbit.restart(120_000).finally(() => (restartDone = true));
          restarted.catch(() => undefined);
        }
        sent = i + 1;
      }
      const settled = await within(Promise.all(inFlight), 120_000);
      await restarted;
      if (settled.kind === 'hung') return row.hang('confirms of the sends after the restart');
      await sleep(500);
      const receiver = await queue.receiver({ prefetch: 500 });
      const got = new Map<number, number>();
      for (;;) {
        const next = await within(receiver.recv(), 5000);
        if (next.kind !== 'value') break;
        got.set(next.value.i, (got.get(next.value.i) ?? 0) + 1);
      }
      await receiver.close();
      await queue.delete().catch(() => undefined);
      await conn.close();
      const missing = [...confirmed].filter((i) => !got.has(i)).length;
      const twice = [...got.values()].filter((n) => n > 1).length;
      row.fact(
        `${confirmed.size} of ${sent} sends confirmed (${sentDuringRestart} sent during the restart), ${got.size} distinct received, ${twice} twice`,
      );
      if (refused.size > 0)
        row.fact(`refused sends: ${[...refused].map(([c, n]) => `${c} ×${n}`).join(', ')}`);
      if (missing > 0) row.loss(missing, `${missing} confirmed message(s) missing after the restart`);
      else if (confirmed.size === 0) row.fail('no send was confirmed');
      else row.ok();
    } finally {
      await rabbit.stop();
    }
  },
};

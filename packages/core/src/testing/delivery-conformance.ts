import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import type { AckableReceiver, Delivery } from '../delivery.js';
import { HeldResources } from './held-resources.js';
import type { TestRunner } from './test-runner.js';

/** A consumer in another process that holds one unsettled delivery. */
export interface HoldingConsumer {
  /** The message it holds (as it reported it). */
  message: unknown;
  /** Kills it abruptly (SIGKILL) and resolves once it is dead. */
  kill: () => Promise<void>;
}

/** One fresh, empty queue of the transport under test, made by {@link DeliveryConformanceFixture.queue}. */
export interface DeliveryQueue {
  /** Puts one message on the queue (from this process). Messages are plain JSON-like values. */
  send: (message: unknown) => Promise<void>;
  /** Opens a new consumer of this queue: each call is another receiver, as another process would have. */
  receiver: () => Promise<AckableReceiver<unknown>>;
  /**
   * Starts a real child process that receives one delivery from this queue, reports it, and holds
   * it without settling it until it is killed. Resolves once it holds it.
   */
  spawnHoldingConsumer: () => Promise<HoldingConsumer>;
  /** Removes the queue and whatever else the fixture made (receivers the suite opened are closed by then). */
  cleanup?: () => Promise<void>;
}

/** What the delivery suite asks a transport's fixture for, and what the transport can honour. */
export interface DeliveryConformanceFixture {
  /** Makes a fresh, empty queue. */
  queue: () => Promise<DeliveryQueue>;
  /**
   * Whether `attempt` counts every delivery (default true). False for a transport that only tells
   * a first delivery (1) from a redelivery (at least 2), or cannot tell at all (always 1): the suite
   * then only asks for `attempt >= 1`.
   */
  countsAttempts?: boolean;
  /**
   * Whether `nack({ delay })` is honoured (default true). False: the suite expects it to reject
   * with `ERR_UNSUPPORTED` and leave the delivery unsettled.
   */
  nackDelay?: boolean;
  /** How long to wait at most for a killed consumer's message to come back, in ms (default 30,000). */
  redeliveryTimeout?: number;
}

/** How long the suite waits to be sure that no message comes, in ms (a negative check: load cannot fail it). */
const NOTHING_MS = 300;
/** How long the suite waits at most for a message a close gave back, in ms (less than common visibility timeouts). */
const GIVEN_BACK_MS = 10_000;
/** How long the suite waits at most for a message that must come, in ms. */
const COMES_MS = 30_000;

/**
 * The conformance suite of acknowledged delivery ({@link AckableReceiver}, {@link Delivery}) that
 * every at-least-once @ipc transport runs with its own fixture: ack removes the message for every
 * consumer, nack redelivers (with `attempt` one higher, after `delay`), `nack({ requeue: false })`
 * removes, a SIGKILLed consumer's unsettled message comes back, settling twice fails with
 * `ERR_INVALID_STATE` and after close with `ERR_CLOSED`, close gives back what was not settled,
 * `recvDelivery` times out and aborts without losing a message, `deliveries()` iterates. Tests
 * register with `runner` (`jestRunner()`, `vitestRunner(vitest)`, `nodeTestRunner()` or your own)
 * and assert with `node:assert/strict`.
 *
 * @example
 * ```ts
 * import { describeDeliveryConformance, jestRunner } from '@ipc/core/testing';
 * describeDeliveryConformance('sqlite queue', { queue: async () => makeQueue() }, jestRunner());
 * ```
 */
export function describeDeliveryConformance(
  name: string,
  fixture: DeliveryConformanceFixture,
  runner: TestRunner,
): void {
  const countsAttempts = fixture.countsAttempts !== false;
  const nackDelay = fixture.nackDelay !== false;

  const held = new HeldResources();
  const withQueue = async (
    body: (q: DeliveryQueue, open: () => Promise<AckableReceiver<unknown>>) => Promise<void>,
  ): Promise<void> => {
    const q = await fixture.queue();
    const opened: AckableReceiver<unknown>[] = [];
    const open = async (): Promise<AckableReceiver<unknown>> => {
      const r = await q.receiver();
      opened.push(r);
      return r;
    };
    const close = (): Promise<unknown> => Promise.allSettled(opened.map((r) => r.close()));
    await held.using({ close, cleanup: q.cleanup }, () => body(q, open));
  };

  const expectNothing = async (r: AckableReceiver<unknown>): Promise<void> => {
    await assert.rejects(r.recvDelivery({ timeout: NOTHING_MS }), { code: 'ERR_TIMEOUT' });
  };

  /** `exact`: no other delivery of the message can have happened in between (else attempt may be higher). */
  const expectRedelivery = (first: Delivery<unknown>, again: Delivery<unknown>, exact = true): void => {
    assert.deepEqual(again.message, first.message);
    if (!countsAttempts) assert.ok(again.attempt >= 1);
    else if (exact) assert.equal(again.attempt, first.attempt + 1);
    else assert.ok(again.attempt > first.attempt);
  };

  runner.describe(`${name}: delivery conformance`, () => {
    held.releaseAfterEach(runner);
    runner.it('delivers a message once with attempt 1, and ack removes it for every consumer', () =>
      withQueue(async (q, open) => {
        await q.send({ job: 'a' });
        await q.send({ job: 'b' });
        const first = await open();
        const d = await first.recvDelivery({ timeout: COMES_MS });
        assert.deepEqual(d.message, { job: 'a' });
        assert.equal(d.attempt, 1);
        await d.ack();
        await first.close(); // 'b', if it was fetched ahead, goes back
        const second = await open();
        const b = await second.recvDelivery({ timeout: COMES_MS });
        assert.deepEqual(b.message, { job: 'b' });
        await b.ack();
        await expectNothing(second);
      }),
    );

    runner.it('hides a claimed message from other consumers until it is settled', () =>
      withQueue(async (q, open) => {
        await q.send('only');
        const one = await open();
        const d = await one.recvDelivery({ timeout: COMES_MS });
        const two = await open();
        await expectNothing(two);
        await d.nack();
        await one.close(); // else `one` may take it again (any consumer may)
        const again = await two.recvDelivery({ timeout: COMES_MS });
        expectRedelivery(d, again, false); // `one` may have fetched it ahead again before its close
        await again.ack();
      }),
    );

    runner.it('redelivers a nacked message with attempt one higher, each time', () =>
      withQueue(async (q, open) => {
        await q.send({ job: 'n' });
        const r = await open();
        let d = await r.recvDelivery({ timeout: COMES_MS });
        assert.equal(d.attempt, 1);
        for (let i = 0; i < 3; i++) {
          await d.nack();
          const again = await r.recvDelivery({ timeout: COMES_MS });
          expectRedelivery(d, again);
          d = again;
        }
        await d.ack();
        await expectNothing(r);
      }),
    );

    if (nackDelay) {
      runner.it('nack with a delay keeps the message invisible, then redelivers it', () =>
        withQueue(async (q, open) => {
          await q.send('later');
          const r = await open();
          const d = await r.recvDelivery({ timeout: COMES_MS });
          await d.nack({ delay: 5000 });
          await expectNothing(r);
          const again = await r.recvDelivery({ timeout: COMES_MS });
          expectRedelivery(d, again);
          await again.ack();
        }),
      );
    } else {
      runner.it('nack with a delay rejects with ERR_UNSUPPORTED and leaves the delivery unsettled', () =>
        withQueue(async (q, open) => {
          await q.send('later');
          const r = await open();
          const d = await r.recvDelivery({ timeout: COMES_MS });
          await assert.rejects(d.nack({ delay: 100 }), { code: 'ERR_UNSUPPORTED' });
          await d.ack();
          await expectNothing(r);
        }),
      );
    }

    runner.it('rejects a bad nack delay with ERR_INVALID_ARGUMENT and leaves the delivery unsettled', () =>
      withQueue(async (q, open) => {
        await q.send('x');
        const r = await open();
        const d = await r.recvDelivery({ timeout: COMES_MS });
        await assert.rejects(d.nack({ delay: -1 }), { code: 'ERR_INVALID_ARGUMENT' });
        await assert.rejects(d.nack({ delay: Number.NaN }), { code: 'ERR_INVALID_ARGUMENT' });
        await d.ack();
        await expectNothing(r);
      }),
    );

    runner.it('nack with requeue false removes the message', () =>
      withQueue(async (q, open) => {
        await q.send('poison');
        await q.send('next');
        const r = await open();
        const d = await r.recvDelivery({ timeout: COMES_MS });
        assert.equal(d.message, 'poison');
        await d.nack({ requeue: false });
        const next = await r.recvDelivery({ timeout: COMES_MS });
        assert.equal(next.message, 'next');
        await next.ack();
        await expectNothing(r);
      }),
    );

    runner.it('fails a second ack or nack with ERR_INVALID_STATE', () =>
      withQueue(async (q, open) => {
        await q.send(1);
        await q.send(2);
        const r = await open();
        const acked = await r.recvDelivery({ timeout: COMES_MS });
        await acked.ack();
        await assert.rejects(acked.ack(), { code: 'ERR_INVALID_STATE' });
        await assert.rejects(acked.nack(), { code: 'ERR_INVALID_STATE' });
        const nacked = await r.recvDelivery({ timeout: COMES_MS });
        assert.equal(nacked.message, 2);
        await nacked.nack();
        await assert.rejects(nacked.ack(), { code: 'ERR_INVALID_STATE' });
        await assert.rejects(nacked.nack(), { code: 'ERR_INVALID_STATE' });
        const again = await r.recvDelivery({ timeout: COMES_MS });
        assert.equal(again.message, 2);
        await again.ack();
      }),
    );

    runner.it('fails ack and nack after close with ERR_CLOSED, and gives the message back', () =>
      withQueue(async (q, open) => {
        await q.send('kept');
        const r = await open();
        const d = await r.recvDelivery({ timeout: COMES_MS });
        await r.close();
        await r.close();
        await assert.rejects(d.ack(), { code: 'ERR_CLOSED' });
        await assert.rejects(d.nack(), { code: 'ERR_CLOSED' });
        await assert.rejects(r.recvDelivery(), { code: 'ERR_CLOSED' });
        const other = await open();
        // Given back by the close, not by a visibility timeout (30 s by default on most transports).
        const again = await other.recvDelivery({ timeout: GIVEN_BACK_MS });
        expectRedelivery(d, again);
        await again.ack();
      }),
    );

    runner.it('gives back the unsettled message of a consumer killed with SIGKILL', () =>
      withQueue(async (q, open) => {
        await q.send({ job: 'held' });
        const consumer = await q.spawnHoldingConsumer();
        await held.using({ close: () => consumer.kill() }, async () => {
          assert.deepEqual(consumer.message, { job: 'held' });
          const before = await open();
          await expectNothing(before); // claimed by a live consumer
          await before.close();
          await consumer.kill();
          const r = await open();
          const again = await r.recvDelivery({ timeout: fixture.redeliveryTimeout ?? COMES_MS });
          assert.deepEqual(again.message, { job: 'held' });
          if (countsAttempts) assert.equal(again.attempt, 2);
          await again.ack();
          await expectNothing(r);
        });
      }),
    );

    runner.it('times out and aborts recvDelivery without losing a message', () =>
      withQueue(async (q, open) => {
        const r = await open();
        await assert.rejects(r.recvDelivery({ timeout: 50 }), { code: 'ERR_TIMEOUT' });
        const controller = new AbortController();
        const waiting = r.recvDelivery({ signal: controller.signal });
        controller.abort(new Error('stop'));
        await assert.rejects(waiting, { code: 'ERR_ABORTED' });
        await q.send('after');
        const d = await r.recvDelivery({ timeout: COMES_MS });
        assert.equal(d.message, 'after');
        assert.equal(d.attempt, 1);
        await d.ack();
      }),
    );

    runner.it('iterates deliveries, and breaking out leaves the receiver usable', () =>
      withQueue(async (q, open) => {
        for (let i = 0; i < 5; i++) await q.send(i);
        const r = await open();
        const got: unknown[] = [];
        for await (const d of r.deliveries()) {
          got.push(d.message);
          await d.ack();
          if (got.length === 3) break;
        }
        assert.deepEqual(got, [0, 1, 2]);
        for (const i of [3, 4]) {
          const d = await r.recvDelivery({ timeout: COMES_MS });
          assert.equal(d.message, i);
          await d.ack();
        }
        await expectNothing(r);
      }),
    );
  });
}

/**
 * The {@link HoldingConsumer} of a child process a fixture spawned with stdout piped: the child must
 * write the message it holds as one JSON line on stdout, then wait to be killed. Resolves once that
 * line came; rejects (killing the child) if the child exits first.
 *
 * @example
 * ```ts
 * const child = spawn(process.execPath, ['hold-one.mjs', path], { stdio: ['ignore', 'pipe', 'inherit'] });
 * return holdingConsumerProcess(child);
 * ```
 */
export async function holdingConsumerProcess(child: ChildProcess): Promise<HoldingConsumer> {
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const exited = running() ? once(child, 'exit') : Promise.resolve();
  const kill = async (): Promise<void> => {
    if (running()) child.kill('SIGKILL');
    await exited;
  };
  if (child.stdout === null) {
    await kill();
    throw new Error('the holding consumer needs its stdout piped');
  }
  const lines = createInterface({ input: child.stdout });
  try {
    const line = await Promise.race([
      once(lines, 'line').then(([l]) => l as string),
      exited.then(() => {
        throw new Error('the holding consumer exited before it reported a message');
      }),
    ]);
    return { message: JSON.parse(line) as unknown, kill };
  } catch (err) {
    await kill();
    throw err;
  } finally {
    lines.close();
  }
}

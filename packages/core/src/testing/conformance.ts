import assert from 'node:assert/strict';
import type { Channel } from '../channel.js';
import type { CodecOption } from '../codecs/resolve-codec.js';
import { isIpcError, type IpcErrorCode } from '../errors.js';
import { HeldResources, heldPair, heldPeer } from './held-resources.js';
import type { TestRunner } from './test-runner.js';

/** Two connected channels, both in this process, over the transport's real OS resources. */
export interface ChannelPair {
  /** One end. */
  a: Channel<unknown>;
  /** The other end: what `a` sends, `b` receives, and the other way round. */
  b: Channel<unknown>;
  /** Releases whatever the fixture made besides the channels (servers, files). */
  cleanup?: () => Promise<void>;
}

/** A real other process running the transport, echoing every message it receives. */
export interface EchoPeer {
  /** This process's end, connected to the peer. */
  channel: Channel<unknown>;
  /** Kills the peer abruptly (SIGKILL) and resolves once it is dead. */
  kill: () => Promise<void>;
  /** Releases whatever else the fixture made. */
  cleanup?: () => Promise<void>;
}

/** What the suite asks a transport's fixtures for. */
export interface ConformanceFixture {
  /** Makes a fresh connected pair whose channels use `codec` (msgpack when undefined). */
  pair: (options: { codec?: CodecOption }) => Promise<ChannelPair>;
  /** Starts an echo peer in another process (msgpack codec). Peer-death tests are skipped without it. */
  peer?: () => Promise<EchoPeer>;
  /** Messages in the order test (default 100,000). */
  messages?: number;
  /** Size of the big-message test in bytes (default 16 MiB). */
  bigMessageBytes?: number;
  /**
   * Whether a receiver that does not read makes the sender wait (default true). A broker that
   * stores everything says false: its sender's memory is bounded by the broker instead.
   */
  backpressure?: boolean;
  /** Whether sends fail once the other end closed (default true; false for brokers, which keep messages). */
  sendFailsAfterPeerClose?: boolean;
  /**
   * Whether this end tells a peer killed between two messages from a clean close: then the
   * peer-death test wants `ERR_PEER_GONE` (not a clean end) after the kill. Default false (either
   * is accepted). See each transport's README for what it can tell.
   */
  tellsPeerDeath?: boolean;
}

const DEAD_CODES: readonly IpcErrorCode[] = ['ERR_PEER_GONE', 'ERR_CLOSED'];

/**
 * The conformance suite every @ipc transport runs with its own fixtures: order, no loss, no
 * duplicates, empty and big messages, backpressure, close on either side, double close,
 * `await using`, abort and timeout, use after close, and peer death. The tests are registered with
 * `runner` (`jestRunner()`, `vitestRunner(vitest)`, `nodeTestRunner()` or your own) and assert
 * with `node:assert/strict`.
 *
 * @example
 * ```ts
 * import { describeChannelConformance, jestRunner } from '@ipc/core/testing';
 * describeChannelConformance('unix socket', { pair: async ({ codec }) => makePair(codec) }, jestRunner());
 * ```
 */
export function describeChannelConformance(
  name: string,
  fixture: ConformanceFixture,
  runner: TestRunner,
): void {
  const messages = fixture.messages ?? 100_000;
  const bigBytes = fixture.bigMessageBytes ?? 16 * 1024 * 1024;

  const held = new HeldResources();
  const withPair = async (
    codec: CodecOption | undefined,
    body: (p: ChannelPair) => Promise<void>,
  ): Promise<void> => {
    const pair = await fixture.pair({ codec });
    await held.using(heldPair(pair), () => body(pair));
  };

  runner.describe(`${name}: channel conformance`, () => {
    held.releaseAfterEach(runner);
    runner.it(`delivers ${messages} messages in order, without loss or duplicates`, () =>
      withPair(undefined, async ({ a, b }) => {
        const sending = (async () => {
          for (let i = 0; i < messages; i++) await a.send({ i, pad: 'x'.repeat(i % 50) });
        })();
        for (let i = 0; i < messages; i++) {
          const m = (await b.recv()) as { i: number; pad: string };
          if (m.i !== i || m.pad.length !== i % 50) assert.deepEqual({ got: m.i }, { got: i });
        }
        await sending;
        await a.send({ last: true });
        assert.deepEqual(await b.recv(), { last: true });
      }),
    );

    runner.it('carries messages both ways at once', () =>
      withPair(undefined, async ({ a, b }) => {
        const n = Math.min(messages, 10_000);
        const pump = async (from: Channel<unknown>, to: Channel<unknown>, tag: string): Promise<void> => {
          const sending = (async () => {
            for (let i = 0; i < n; i++) await from.send([tag, i]);
          })();
          for (let i = 0; i < n; i++) assert.deepEqual(await to.recv(), [tag, i]);
          await sending;
        };
        await Promise.all([pump(a, b, 'ab'), pump(b, a, 'ba')]);
      }),
    );

    runner.it('delivers a message of 0 bytes', () =>
      withPair('raw', async ({ a, b }) => {
        await a.send(new Uint8Array(0));
        await a.send(Uint8Array.of(7));
        assert.equal(((await b.recv()) as Uint8Array).length, 0);
        assert.deepEqual(Array.from((await b.recv()) as Uint8Array), [7]);
      }),
    );

    runner.it(`delivers a message of ${bigBytes} bytes intact`, () =>
      withPair('raw', async ({ a, b }) => {
        const big = Buffer.allocUnsafe(bigBytes);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
        const [, got] = await Promise.all([a.send(big), b.recv()]);
        const bytes = got as Uint8Array;
        assert.equal(bytes.byteLength, bigBytes);
        assert.ok(
          Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(big),
          'the big message changed on the way',
        );
      }),
    );

    if (fixture.backpressure !== false) {
      runner.it('makes the sender wait while the receiver does not read (backpressure)', () =>
        withPair('raw', async ({ a, b }) => {
          const total = 256;
          const chunk = Buffer.alloc(1024 * 1024, 1);
          let accepted = 0;
          const sending = (async () => {
            for (let i = 0; i < total; i++) {
              await a.send(chunk);
              accepted++;
            }
          })();
          // Wait until the sender stops making progress: it must stall well before 256 MiB.
          let last = -1;
          while (accepted !== last && accepted < total) {
            last = accepted;
            await new Promise((r) => setTimeout(r, 300));
          }
          assert.ok(accepted < total, `the sender was never made to wait (${accepted} of ${total} accepted)`);
          for (let i = 0; i < total; i++)
            assert.equal(((await b.recv()) as Uint8Array).byteLength, chunk.length);
          await sending;
          assert.equal(accepted, total);
        }),
      );
    }

    runner.it('delivers what was sent before close, then ends the peer iteration', () =>
      withPair(undefined, async ({ a, b }) => {
        for (let i = 0; i < 10; i++) void a.send(i);
        await a.close();
        const got: unknown[] = [];
        for await (const m of b) got.push(m);
        assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        await assert.rejects(b.recv(), { code: 'ERR_CLOSED' });
      }),
    );

    runner.it('tells the other side when the receiving end closes', () =>
      withPair(undefined, async ({ a, b }) => {
        await b.close();
        await expectEndOrGone(a.recv());
        if (fixture.sendFailsAfterPeerClose !== false) {
          let failure: unknown;
          for (let i = 0; i < 1_000_000 && failure === undefined; i++) {
            await a.send(Buffer.alloc(1024)).catch((err: unknown) => (failure = err));
          }
          assert.ok(
            isIpcError(failure) && DEAD_CODES.includes(failure.code),
            `send after the peer closed: ${String(failure)}`,
          );
        }
      }),
    );

    runner.it('makes close idempotent and rejects use after close with ERR_CLOSED', () =>
      withPair(undefined, async ({ a }) => {
        await Promise.all([a.close(), a.close()]);
        await a.close();
        await a[Symbol.asyncDispose]();
        await assert.rejects(a.send(1), { code: 'ERR_CLOSED' });
        await assert.rejects(a.recv(), { code: 'ERR_CLOSED' });
      }),
    );

    runner.it('closes with await using', async () => {
      const pair = await fixture.pair({});
      await held.using(heldPair(pair), async () => {
        let outer: Channel<unknown>;
        {
          await using a = pair.a;
          outer = a;
          await a.send('inside');
          assert.equal(await pair.b.recv(), 'inside');
        }
        await assert.rejects(outer.send('after'), { code: 'ERR_CLOSED' });
      });
    });

    runner.it('aborts a waiting recv with ERR_ABORTED and loses no message', () =>
      withPair(undefined, async ({ a, b }) => {
        const controller = new AbortController();
        const waiting = b.recv({ signal: controller.signal });
        controller.abort(new Error('stop'));
        await assert.rejects(waiting, { code: 'ERR_ABORTED' });
        await assert.rejects(b.recv({ signal: controller.signal }), { code: 'ERR_ABORTED' });
        await a.send('kept');
        assert.equal(await b.recv(), 'kept');
      }),
    );

    runner.it('times out a recv with ERR_TIMEOUT and loses no message', () =>
      withPair(undefined, async ({ a, b }) => {
        await assert.rejects(b.recv({ timeout: 50 }), { code: 'ERR_TIMEOUT' });
        await a.send('kept');
        assert.equal(await b.recv({ timeout: 30_000 }), 'kept');
      }),
    );

    runner.it('rejects a send with an aborted signal, sending nothing', () =>
      withPair(undefined, async ({ a, b }) => {
        const controller = new AbortController();
        controller.abort();
        await assert.rejects(a.send('dropped', { signal: controller.signal }), { code: 'ERR_ABORTED' });
        await a.send('next');
        assert.equal(await b.recv(), 'next');
      }),
    );

    if (fixture.peer) {
      const makePeer = fixture.peer;
      const death =
        fixture.tellsPeerDeath === true ? 'fails with ERR_PEER_GONE' : 'ends or fails with ERR_PEER_GONE';
      runner.it(
        `talks to a peer in another process, and ${death} when it is killed between messages`,
        async () => {
          const peer = await makePeer();
          await held.using(heldPeer(peer), async () => {
            for (let i = 0; i < 100; i++) await peer.channel.send({ i });
            for (let i = 0; i < 100; i++) assert.deepEqual(await peer.channel.recv(), { i });
            await peer.kill();
            if (fixture.tellsPeerDeath === true) {
              await assert.rejects(peer.channel.recv(), { code: 'ERR_PEER_GONE' });
            } else {
              await expectEndOrGone(peer.channel.recv());
            }
          });
        },
      );
    }
  });
}

/** Expects a recv to reject with ERR_CLOSED (clean end) or ERR_PEER_GONE — not to hang, not to resolve. */
async function expectEndOrGone(recv: Promise<unknown>): Promise<void> {
  const outcome = await recv.then(
    (value) => ({ value }),
    (err: unknown) => ({ err }),
  );
  assert.ok('err' in outcome, 'the receive resolved instead of ending or failing');
  const { err } = outcome;
  assert.ok(
    isIpcError(err) && DEAD_CODES.includes(err.code),
    `expected ERR_CLOSED or ERR_PEER_GONE: ${String(err)}`,
  );
}

import assert from 'node:assert/strict';
import type { Channel, RecvOptions } from '../channel.js';
import { isIpcError } from '../errors.js';
import { HeldResources, heldPair, heldPeer } from './held-resources.js';
import type { TestRunner } from './test-runner.js';

/** A channel with `recvInto` (the raw codec's zero-allocation receive). */
export type RecvIntoChannel = Channel<unknown> & {
  /** Receives the next message's bytes into `buffer` at `offset`; resolves with their count. */
  recvInto(buffer: Uint8Array, offset?: number, options?: RecvOptions): Promise<number>;
};

/** Two connected channels, both in this process, over the transport's real OS resources. */
export interface RecvIntoPair {
  /** The sending end. */
  a: RecvIntoChannel;
  /** The receiving end, whose `recvInto` is tested. */
  b: RecvIntoChannel;
  /** Releases whatever the fixture made besides the channels. */
  cleanup?: () => Promise<void>;
}

/** A real other process echoing every message back, with the raw codec. */
export interface RecvIntoEchoPeer {
  /** This process's end (raw codec, able to carry 8 MiB messages). */
  channel: RecvIntoChannel;
  /** Called after the channel closed: waits for the peer, checks how it ended, releases the rest. */
  cleanup?: () => Promise<void>;
}

/** What {@link describeRecvIntoConformance} asks a transport's fixtures for. */
export interface RecvIntoFixture {
  /** Makes a fresh connected pair whose channels use `codec`. */
  pair: (options: { codec: 'raw' | 'msgpack' }) => Promise<RecvIntoPair>;
  /** Starts an echo peer in another process (raw codec); the cross-process test is skipped without it. */
  echoPeer?: () => Promise<RecvIntoEchoPeer>;
  /**
   * Whether `recvInto` on a channel with another codec fails with `ERR_UNSUPPORTED` (default true).
   * False for a transport whose `recvInto` hands over any codec's encoded bytes (`ShmChannel`).
   */
  needsRawCodec?: boolean;
  /** Per-test timeout in milliseconds passed to the runner (the runner's default when undefined). */
  timeout?: number;
}

/** A recognisable payload of `n` bytes, different for each `seed`. */
function payload(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed * 7) & 0xff;
  return b;
}

/** Whether every byte of `bytes` is `value`. */
const allAre = (bytes: Uint8Array, value: number): boolean => bytes.every((v) => v === value);

/** Sizes the echo-peer test sends: one (8 MiB) more than the 4 MiB buffer holds; 4 MiB itself fits. */
const PEER_SIZES = [0, 1, 65_536, 1 << 20, 3, (1 << 20) + 3, 200_000, 8 << 20, 7, 4 << 20];

/** Sizes the in-process test sends into a 256 KiB buffer: 300,000 bytes do not fit. */
const PAIR_SIZES = [0, 1, 3, 100, 4096, 65_535, 65_536, 200_000, 300_000, 7, 256 * 1024];

/**
 * The `recvInto` conformance suite every transport with the raw codec's `recvInto` runs with its
 * own fixtures: many sizes into one reused buffer, in order; a message too big for the room rejects
 * with `ERR_BUFFER_TOO_SMALL` and stays queued whole; bytes land at the offset and nowhere else;
 * mixing with `recv`; timeout without loss; `ERR_CLOSED` after the sender closed; typed errors for
 * bad arguments and for other codecs; and, with `echoPeer`, the same through another process. The
 * tests are registered with `runner` and assert with `node:assert/strict`.
 *
 * @example
 * ```ts
 * import { describeRecvIntoConformance, jestRunner } from '@ipc/core/testing';
 * describeRecvIntoConformance('unix socket', { pair: ({ codec }) => makePair(codec) }, jestRunner());
 * ```
 */
export function describeRecvIntoConformance(
  name: string,
  fixture: RecvIntoFixture,
  runner: TestRunner,
): void {
  const settings = fixture.timeout === undefined ? undefined : { timeout: fixture.timeout };
  const held = new HeldResources();
  const withPair = async (
    codec: 'raw' | 'msgpack',
    body: (a: RecvIntoChannel, b: RecvIntoChannel) => Promise<void>,
  ): Promise<void> => {
    const pair = await fixture.pair({ codec });
    await held.using(heldPair(pair), () => body(pair.a, pair.b));
  };

  runner.describe(`${name}: recvInto conformance`, () => {
    held.releaseAfterEach(runner);
    runner.it(
      'receives messages of many sizes into one reused buffer, in order; one too big stays queued for recv',
      () =>
        withPair('raw', async (a, b) => {
          const sending = (async () => {
            for (const [i, n] of PAIR_SIZES.entries()) await a.send(payload(n, i));
          })();
          const buffer = Buffer.alloc(256 * 1024);
          const results: string[] = [];
          for (const [i, n] of PAIR_SIZES.entries()) {
            const want = payload(n, i);
            const got = await b.recvInto(buffer).catch(async (err: unknown) => {
              assert.ok(
                isIpcError(err, 'ERR_BUFFER_TOO_SMALL'),
                `expected ERR_BUFFER_TOO_SMALL: ${String(err)}`,
              );
              const whole = (await b.recv()) as Uint8Array; // it stayed queued
              return Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength).equals(want) ? -1 : -2;
            });
            results.push(
              got === -1 ? 'too small, then whole' : buffer.subarray(0, got).equals(want) ? 'ok' : `bad ${i}`,
            );
          }
          await sending;
          assert.deepEqual(results, [...Array<string>(8).fill('ok'), 'too small, then whole', 'ok', 'ok']);
        }),
      settings,
    );

    runner.it(
      'refuses a buffer too small (also counting the offset) and keeps the message whole for the next receive',
      () =>
        withPair('raw', async (a, b) => {
          await a.send(payload(500, 1));
          await assert.rejects(b.recvInto(new Uint8Array(499)), { code: 'ERR_BUFFER_TOO_SMALL' });
          await assert.rejects(b.recvInto(new Uint8Array(600), 101), { code: 'ERR_BUFFER_TOO_SMALL' });
          const room = new Uint8Array(600);
          assert.equal(await b.recvInto(room, 100), 500);
          assert.ok(Buffer.from(room.subarray(100)).equals(payload(500, 1)));
          await a.send(payload(300, 2));
          await assert.rejects(b.recvInto(new Uint8Array(100)), { code: 'ERR_BUFFER_TOO_SMALL' });
          const whole = (await b.recv()) as Uint8Array;
          assert.ok(Buffer.from(whole).equals(payload(300, 2)));
        }),
      settings,
    );

    runner.it(
      'writes at the offset and nowhere else',
      () =>
        withPair('raw', async (a, b) => {
          const buffer = Buffer.alloc(300_000, 0xee);
          const message = Buffer.alloc(200_000, 0x11);
          const [, n] = await Promise.all([a.send(message), b.recvInto(buffer, 7)]);
          assert.equal(n, 200_000);
          assert.ok(allAre(buffer.subarray(0, 7), 0xee), 'bytes before the offset changed');
          assert.ok(allAre(buffer.subarray(7, 200_007), 0x11), 'the message is not at the offset');
          assert.ok(allAre(buffer.subarray(200_007), 0xee), 'bytes after the message changed');
        }),
      settings,
    );

    runner.it(
      'mixes with recv: messages received with recv keep their bytes when the buffer is reused',
      () =>
        withPair('raw', async (a, b) => {
          const sizes = [10, 70_000, 3, 100_000, 0, 5000, 65_536, 1];
          const sending = (async () => {
            for (const [i, n] of sizes.entries()) await a.send(payload(n, i));
          })();
          const buffer = Buffer.alloc(128 * 1024);
          const kept: [number, Uint8Array][] = [];
          for (const [i, n] of sizes.entries()) {
            if (i % 2 === 1) {
              kept.push([i, (await b.recv()) as Uint8Array]);
            } else {
              const got = await b.recvInto(buffer);
              assert.ok(buffer.subarray(0, got).equals(payload(n, i)), `message ${i} changed`);
              buffer.fill(0xaa, 0, got);
            }
          }
          await sending;
          for (const [i, bytes] of kept) {
            assert.ok(Buffer.from(bytes).equals(payload(sizes[i] as number, i)), `message ${i} changed`);
          }
        }),
      settings,
    );

    runner.it(
      'gives up on a timeout without losing the message that comes later',
      () =>
        withPair('raw', async (a, b) => {
          const buffer = Buffer.alloc(1 << 20);
          await assert.rejects(b.recvInto(buffer, 0, { timeout: 20 }), { code: 'ERR_TIMEOUT' });
          // Sent while received: a transport with a small buffer (a shm ring) makes the sender wait.
          const [, n] = await Promise.all([
            a.send(Buffer.alloc(500_000, 0x22)),
            b.recvInto(buffer, 0, { timeout: 30_000 }),
          ]);
          assert.equal(n, 500_000);
          assert.ok(allAre(buffer.subarray(0, n), 0x22), 'the message changed');
        }),
      settings,
    );

    runner.it(
      'aborts a waiting recvInto with ERR_ABORTED without losing the message that comes later',
      () =>
        withPair('raw', async (a, b) => {
          const buffer = Buffer.alloc(1024);
          const controller = new AbortController();
          const waiting = b.recvInto(buffer, 0, { signal: controller.signal });
          controller.abort(new Error('stop'));
          await assert.rejects(waiting, { code: 'ERR_ABORTED' });
          await a.send(Buffer.from('kept'));
          const n = await b.recvInto(buffer);
          assert.equal(buffer.subarray(0, n).toString(), 'kept');
        }),
      settings,
    );

    runner.it(
      'delivers what was sent before the sender closed, then rejects with ERR_CLOSED',
      () =>
        withPair('raw', async (a, b) => {
          const sending = (async () => {
            for (let i = 0; i < 5; i++) await a.send(payload(1000 * i, i));
            await a.close();
          })();
          const buffer = Buffer.alloc(8192);
          for (let i = 0; i < 5; i++) {
            const n = await b.recvInto(buffer);
            assert.ok(buffer.subarray(0, n).equals(payload(1000 * i, i)), `message ${i} changed`);
          }
          await sending;
          await assert.rejects(b.recvInto(buffer), { code: 'ERR_CLOSED' });
        }),
      settings,
    );

    runner.it(
      'rejects bad arguments with ERR_INVALID_ARGUMENT',
      () =>
        withPair('raw', async (_a, b) => {
          const buffer = Buffer.alloc(16);
          await assert.rejects(b.recvInto('x' as unknown as Uint8Array), { code: 'ERR_INVALID_ARGUMENT' });
          await assert.rejects(b.recvInto(buffer, 17), { code: 'ERR_INVALID_ARGUMENT' });
          await assert.rejects(b.recvInto(buffer, 1.5), { code: 'ERR_INVALID_ARGUMENT' });
          await assert.rejects(b.recvInto(buffer, -1), { code: 'ERR_INVALID_ARGUMENT' });
        }),
      settings,
    );

    if (fixture.needsRawCodec !== false) {
      runner.it(
        'needs the raw codec: ERR_UNSUPPORTED on a msgpack channel',
        () =>
          withPair('msgpack', async (_a, b) => {
            await assert.rejects(b.recvInto(Buffer.alloc(8)), { code: 'ERR_UNSUPPORTED' });
          }),
        settings,
      );
    }

    if (fixture.echoPeer) {
      const makePeer = fixture.echoPeer;
      runner.it(
        'receives an echo peer process’s messages into one reused buffer, intact and in order',
        async () => {
          const peer = await makePeer();
          const { channel } = peer;
          await held.using(heldPeer(peer), async () => {
            const sending = (async () => {
              for (const [i, n] of PEER_SIZES.entries()) await channel.send(payload(n, i));
            })();
            const buffer = Buffer.alloc(4 << 20);
            const results: string[] = [];
            for (const [i, n] of PEER_SIZES.entries()) {
              const want = payload(n, i);
              const got = await channel.recvInto(buffer).catch(async (err: unknown) => {
                assert.ok(
                  isIpcError(err, 'ERR_BUFFER_TOO_SMALL'),
                  `expected ERR_BUFFER_TOO_SMALL: ${String(err)}`,
                );
                const whole = (await channel.recv()) as Uint8Array; // it stayed queued
                return Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength).equals(want) ? -1 : -2;
              });
              results.push(
                got === -1
                  ? 'too small, then whole'
                  : buffer.subarray(0, got).equals(want)
                    ? 'ok'
                    : `bad ${i}`,
              );
            }
            await sending;
            assert.deepEqual(results, [...Array<string>(7).fill('ok'), 'too small, then whole', 'ok', 'ok']);
          });
        },
        settings,
      );
    }
  });
}

import assert from 'node:assert/strict';
import type { Channel } from '../channel.js';
import { isIpcError } from '../errors.js';
import type { EchoPeer } from './conformance.js';
import type { PythonPeerCodec } from './python-echo-peer.js';
import { HeldResources, heldPeer } from './held-resources.js';
import type { TestRunner } from './test-runner.js';

/** What {@link describePythonPeerConformance} asks a transport's fixture for. */
export interface PythonPeerFixture {
  /**
   * Starts the Python echo peer (`python3` with `pythonEchoPeerArgs(codec, …)`) in another process
   * and returns this process's end, whose channel uses `codec`, able to carry `bigMessageBytes`.
   */
  peer: (codec: PythonPeerCodec) => Promise<EchoPeer>;
  /** The codecs to run (default pickle, json and raw). */
  codecs?: readonly PythonPeerCodec[];
  /** Size of the big-message test in bytes (default 4 MiB). */
  bigMessageBytes?: number;
}

/** Per test: Python starts slowly on a loaded machine. */
const TIMEOUT = 180_000;

/** Messages each codec carries to Python and back unchanged. */
function samples(codec: PythonPeerCodec, i: number): unknown {
  switch (codec) {
    case 'pickle':
      return {
        i,
        text: `héllo ☃ ${i}`,
        list: [1, -1, 2.5, null, true, false],
        big: 2n ** 70n + BigInt(i),
        bytes: Buffer.from([i & 255, 0, 255]),
        set: new Set([i, 'x']),
        nested: { a: { b: [[], {}] } },
      };
    case 'json':
      return {
        i,
        text: `héllo ☃ ${i}`,
        list: [1, -1, 2.5, null, true, false],
        nested: { a: { b: [[], {}] } },
      };
    default:
      return Buffer.from(`message ${i} ✓`);
  }
}

function big(codec: PythonPeerCodec, n: number): unknown {
  const bytes = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + 7) & 0xff;
  if (codec === 'raw') return bytes;
  if (codec === 'pickle') return { data: bytes };
  return { data: 'x'.repeat(n - 20) };
}

/**
 * The conformance checks that involve a peer, run against a Python program (standard library only)
 * in place of the Node echo peer — for each codec Python understands: messages in order both ways
 * and unchanged through Python's objects, a big message, and ERR_PEER_GONE (or a clean end) when
 * the Python process dies. The tests are registered with `runner` and assert with `node:assert/strict`.
 *
 * @example
 * ```ts
 * describePythonPeerConformance('@ipc/pipe', {
 *   peer: async (codec) => {
 *     const { channel, child } = spawnChannel('python3', pythonEchoPeerArgs(codec, { fd: 3 }), { codec });
 *     return childEchoPeer(channel, child);
 *   },
 * }, jestRunner());
 * ```
 */
export function describePythonPeerConformance(
  name: string,
  fixture: PythonPeerFixture,
  runner: TestRunner,
): void {
  const bigBytes = fixture.bigMessageBytes ?? 4 * 1024 * 1024;
  const held = new HeldResources();
  const withPeer = async (codec: PythonPeerCodec, body: (channel: Channel<unknown>) => Promise<void>) => {
    const peer = await fixture.peer(codec);
    await held.using(heldPeer(peer), () => body(peer.channel));
  };

  runner.describe(`${name}: conformance with a Python peer (standard library only)`, () => {
    held.releaseAfterEach(runner);
    for (const codec of fixture.codecs ?? (['pickle', 'json', 'raw'] as const)) {
      runner.it(
        `${codec}: 200 messages through Python's objects, in order and unchanged`,
        () =>
          withPeer(codec, async (channel) => {
            const sending = (async () => {
              for (let i = 0; i < 200; i++) await channel.send(samples(codec, i));
            })();
            for (let i = 0; i < 200; i++)
              assert.deepEqual(await channel.recv({ timeout: 60_000 }), samples(codec, i));
            await sending;
          }),
        { timeout: TIMEOUT },
      );

      runner.it(
        `${codec}: a message of ${bigBytes} bytes there and back`,
        () =>
          withPeer(codec, async (channel) => {
            const message = big(codec, bigBytes);
            const [, back] = await Promise.all([channel.send(message), channel.recv({ timeout: 120_000 })]);
            assert.deepEqual(back, message);
          }),
        { timeout: TIMEOUT },
      );

      runner.it(
        `${codec}: ends or fails with ERR_PEER_GONE when the Python process dies`,
        async () => {
          const peer = await fixture.peer(codec);
          await held.using(heldPeer(peer), async () => {
            await peer.channel.send(samples(codec, 1));
            assert.deepEqual(await peer.channel.recv({ timeout: 60_000 }), samples(codec, 1));
            await peer.kill();
            const outcome = await peer.channel.recv({ timeout: 60_000 }).then(
              () => undefined,
              (err: unknown) => err,
            );
            assert.ok(
              isIpcError(outcome) && ['ERR_PEER_GONE', 'ERR_CLOSED'].includes(outcome.code),
              `expected ERR_PEER_GONE or ERR_CLOSED: ${String(outcome)}`,
            );
          });
        },
        { timeout: TIMEOUT },
      );
    }
  });
}

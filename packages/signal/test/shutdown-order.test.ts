import { afterEach, describe, expect, it } from '@jest/globals';
import { onShutdown, sendSignal } from '@ipc/signal';
import { killFixtures, startFixture } from './helpers/fixture-process.js';

afterEach(killFixtures);

describe('onShutdown in a real process', () => {
  it('runs the cleanups in reverse order on SIGTERM and exits with 143', async () => {
    const child = startFixture('shutdown-order.mjs');
    await child.line('ready');
    sendSignal(child.pid, 'SIGTERM');
    expect(await child.exited).toEqual({ code: 143, signal: null });
    expect(child.lines).toEqual([
      'ready',
      'aborted ERR_ABORTED',
      'cleanup 3',
      'cleanup 2 on SIGTERM',
      'cleanup 1',
    ]);
  });

  it('exits with 130 on SIGINT', async () => {
    const child = startFixture('shutdown-order.mjs');
    await child.line('ready');
    sendSignal(child.pid, 'SIGINT');
    expect(await child.exited).toEqual({ code: 130, signal: null });
    expect(child.lines).toContain('cleanup 2 on SIGINT');
  });

  it('a throwing and a hanging cleanup are reported and do not stop the others', async () => {
    const child = startFixture('shutdown-order.mjs', ['faulty']);
    await child.line('ready');
    sendSignal(child.pid, 'SIGTERM');
    expect(await child.exited).toEqual({ code: 143, signal: null });
    expect(child.lines).toEqual([
      'ready',
      'aborted ERR_ABORTED',
      'cleanup 3',
      'hanging cleanup told to stop',
      'cleanup 2 on SIGTERM',
      'cleanup 1',
    ]);
    expect(child.stderr()).toContain('cleanup "throwing" failed: boom');
    expect(child.stderr()).toContain('cleanup "hanging" timed out after 200 ms');
  });

  it('a second SIGINT during a slow cleanup exits at once', async () => {
    const child = startFixture('shutdown-slow.mjs');
    await child.line('ready');
    sendSignal(child.pid, 'SIGINT');
    await child.line('slow cleanup started');
    sendSignal(child.pid, 'SIGINT');
    // The slow cleanup would take 10 minutes: if the second signal did not end the process, Jest's
    // timeout fails this test.
    expect(await child.exited).toEqual({ code: 130, signal: null });
    expect(child.lines).toEqual(['ready', 'slow cleanup started']);
    expect(child.stderr()).toContain('SIGINT during shutdown: exiting at once with code 130');
  }, 20_000);
});

describe('shutdown() and onShutdown arguments', () => {
  it('shutdown() runs the cleanups without a signal and exits with its exitCode', async () => {
    const child = startFixture('shutdown-manual.mjs');
    expect(await child.exited).toEqual({ code: 3, signal: null });
    expect(child.lines).toEqual([
      'bad exit code: ERR_INVALID_ARGUMENT',
      'before: false false',
      'same promise: true aborted: true',
      'cleanup B, received: undefined',
      'cleanup A, shutting down: true',
    ]);
  });

  it('bad cleanups, timeouts and signal names are ERR_INVALID_ARGUMENT (and arm nothing)', () => {
    const before = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
    expect(() => onShutdown(42 as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => onShutdown(() => {}, { timeout: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => onShutdown(() => {}, { signals: ['SIGKILL'] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual(before);
  });
});

import { describe, expect, it } from '@jest/globals';
import { isIpcError } from '@ipc/core';
import { onSignal, signals, waitForSignal, type SignalName } from '@ipc/signal';

// Nothing here delivers a signal to the Jest worker: these tests only install and remove listeners.
const count = (name: SignalName): number => process.listenerCount(name);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (isIpcError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('listeners come and go', () => {
  it('onSignal installs one listener per name and unsubscribes once (also with using)', () => {
    const before = [count('SIGHUP'), count('SIGUSR2')];
    const off = onSignal(['SIGHUP', 'SIGUSR2', 'SIGHUP'], () => {});
    expect([count('SIGHUP'), count('SIGUSR2')]).toEqual([before[0]! + 1, before[1]! + 1]);
    off();
    off();
    expect([count('SIGHUP'), count('SIGUSR2')]).toEqual(before);
    {
      using _sub = onSignal('SIGWINCH', () => {});
      expect(count('SIGWINCH')).toBe(1);
    }
    expect(count('SIGWINCH')).toBe(0);
  });

  it('refuses SIGKILL, SIGSTOP, fault signals, unknown names, and SIGUSR1 without the option', () => {
    for (const bad of ['SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGUSR1', 'SIGNOPE']) {
      expect(codeOf(() => onSignal(bad as SignalName, () => {}))).toBe('ERR_INVALID_ARGUMENT');
      expect(codeOf(() => signals(bad as SignalName))).toBe('ERR_INVALID_ARGUMENT');
      expect(count(bad as SignalName)).toBe(0);
    }
    expect(codeOf(() => onSignal([], () => {}))).toBe('ERR_INVALID_ARGUMENT');
    let message = '';
    try {
      onSignal('SIGUSR1', () => {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/inspector/);
    const off = onSignal('SIGUSR1', () => {}, { allowInspectorSignal: true });
    expect(count('SIGUSR1')).toBe(1);
    off();
    expect(count('SIGUSR1')).toBe(0);
  });

  it('waitForSignal rejects bad names, times out, aborts, and leaves no listener behind', async () => {
    await expect(waitForSignal('SIGKILL')).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(waitForSignal('SIGUSR2', { timeout: -1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(waitForSignal(['SIGHUP', 'SIGUSR2'], { timeout: 20 })).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
    });
    expect([count('SIGHUP'), count('SIGUSR2')]).toEqual([0, 0]);

    const ac = new AbortController();
    const waiting = waitForSignal('SIGUSR2', { signal: ac.signal });
    expect(count('SIGUSR2')).toBe(1);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(count('SIGUSR2')).toBe(0);
    await expect(waitForSignal('SIGUSR2', { signal: ac.signal })).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    });
    expect(count('SIGUSR2')).toBe(0);
  });

  it('signals(): close() ends a waiting loop, and listeners are gone', async () => {
    const stream = signals('SIGHUP', 'SIGUSR2');
    expect([count('SIGHUP'), count('SIGUSR2')]).toEqual([1, 1]);
    const got: SignalName[] = [];
    const loop = (async () => {
      for await (const s of stream) got.push(s);
      return 'ended';
    })();
    await stream.close();
    await stream.close();
    expect(await loop).toBe('ended');
    expect(got).toEqual([]);
    expect([count('SIGHUP'), count('SIGUSR2')]).toEqual([0, 0]);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('signals(): an abort ends the loop with ERR_ABORTED; a pre-aborted signal installs nothing', async () => {
    const ac = new AbortController();
    const stream = signals(['SIGUSR2'], { signal: ac.signal });
    const loop = (async () => {
      for await (const _ of stream) {
        // nothing arrives
      }
    })();
    ac.abort();
    await expect(loop).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(count('SIGUSR2')).toBe(0);

    const dead = signals(['SIGUSR2'], { signal: ac.signal });
    expect(count('SIGUSR2')).toBe(0);
    await expect(dead.next()).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('signals(): await using disposes it', async () => {
    {
      await using stream = signals('SIGUSR2');
      expect(stream.names).toEqual(['SIGUSR2']);
      expect(count('SIGUSR2')).toBe(1);
    }
    expect(count('SIGUSR2')).toBe(0);
  });
});

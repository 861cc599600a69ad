import { describe, expect, it } from '@jest/globals';
import { IpcError, receiveUntilClosed } from '@ipc/core';

/** A recv that hands out `script` in order: values, or errors to reject with. */
function scripted(script: unknown[]): { recv: () => Promise<unknown>; calls: () => number } {
  let calls = 0;
  return {
    recv: () => {
      const step = script[calls++];
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
    calls: () => calls,
  };
}

const iterable = (it: AsyncIterator<unknown>): AsyncIterable<unknown> => ({
  [Symbol.asyncIterator]: () => it,
});

describe('receiveUntilClosed', () => {
  it('yields what recv gives until ERR_CLOSED, then stays ended without calling recv again', async () => {
    const { recv, calls } = scripted([1, 'two', null, new IpcError('ERR_CLOSED', 'closed'), 5]);
    const it = receiveUntilClosed(recv);
    const got: unknown[] = [];
    for await (const m of iterable(it)) got.push(m);
    expect(got).toEqual([1, 'two', null]);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(calls()).toBe(4);
  });

  it('throws any other error into the loop', async () => {
    const { recv } = scripted([1, new IpcError('ERR_PEER_GONE', 'gone')]);
    const got: unknown[] = [];
    const loop = async (): Promise<void> => {
      for await (const m of iterable(receiveUntilClosed(recv))) got.push(m);
    };
    await expect(loop()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    expect(got).toEqual([1]);
  });

  it('leaving the loop ends the iterator and nothing more is received', async () => {
    const { recv, calls } = scripted([1, 2, 3]);
    const it = receiveUntilClosed(recv);
    for await (const m of iterable(it)) if (m === 1) break;
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(calls()).toBe(1);
  });
});

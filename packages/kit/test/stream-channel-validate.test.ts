import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { IpcError, isIpcError, lengthHeader, toIpcError, type StandardSchemaV1 } from '@ipc/core';
import { streamChannel, type StreamChannelOptions } from '@ipc/kit';

/** A tiny Standard Schema validator, as zod or valibot would provide. */
const point: StandardSchemaV1<unknown, { x: number }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (v) =>
      typeof v === 'object' && v !== null && typeof (v as { x?: unknown }).x === 'number'
        ? { value: v as { x: number } }
        : { issues: [{ message: 'expected a number', path: ['x'] }] },
  },
};

function loopback<T>(options: StreamChannelOptions<T> = {}) {
  const wire = new PassThrough();
  return {
    wire,
    ch: streamChannel<T>(wire, new PassThrough(), options),
    tx: streamChannel<unknown>(new PassThrough(), wire, { codec: options.codec, framing: options.framing }),
  };
}

describe('streamChannel validation and errors', () => {
  it('rejects an invalid message with ERR_INVALID_MESSAGE and goes on with the next', async () => {
    const { ch, tx } = loopback<{ x: number }>({ validate: point, codec: 'json' });
    await tx.send({ x: 'no' });
    await tx.send({ x: 2 });
    await expect(ch.recv()).rejects.toMatchObject({
      code: 'ERR_INVALID_MESSAGE',
      message: expect.stringContaining('x: expected a number'),
    });
    expect(await ch.recv()).toEqual({ x: 2 });
  });

  it('accepts a plain function as validator', async () => {
    const { ch, tx } = loopback<number>({
      codec: 'json',
      validate: (v) => {
        if (typeof v !== 'number') throw new Error('not a number');
        return v * 10;
      },
    });
    await tx.send('a');
    await tx.send(4);
    await expect(ch.recv()).rejects.toMatchObject({ code: 'ERR_INVALID_MESSAGE' });
    expect(await ch.recv()).toBe(40);
  });

  it('delivers undecodable bytes as ERR_DECODE in their place', async () => {
    const { wire, ch } = loopback<unknown>({ codec: 'json' });
    wire.write(Buffer.concat([lengthHeader(3), Buffer.from('{{{')]));
    wire.write(Buffer.concat([lengthHeader(2), Buffer.from('42')]));
    await expect(ch.recv()).rejects.toMatchObject({ code: 'ERR_DECODE' });
    expect(await ch.recv()).toBe(42);
  });

  it('fails with ERR_FRAME_TOO_LARGE on an oversized header, and ERR_PEER_GONE on a cut frame', async () => {
    const big = loopback<unknown>({ maxFrameBytes: 10 });
    big.wire.write(lengthHeader(11));
    await expect(big.ch.recv()).rejects.toMatchObject({ code: 'ERR_FRAME_TOO_LARGE' });

    // Whole frames and then an oversized header in one write: the frames first, then the error.
    const mixed = loopback<unknown>({ codec: 'json', maxFrameBytes: 10 });
    mixed.wire.write(
      Buffer.concat([lengthHeader(1), Buffer.from('1'), lengthHeader(1), Buffer.from('2'), lengthHeader(11)]),
    );
    expect(await mixed.ch.recv()).toBe(1);
    expect(await mixed.ch.recv()).toBe(2);
    await expect(mixed.ch.recv()).rejects.toMatchObject({ code: 'ERR_FRAME_TOO_LARGE' });

    const cut = loopback<unknown>({ codec: 'json' });
    cut.wire.write(Buffer.concat([lengthHeader(2), Buffer.from('1')]));
    cut.wire.end();
    await expect(cut.ch.recv()).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
  });

  it('works with the lines framing for shell tools', async () => {
    const { wire, ch } = loopback<unknown>({ codec: 'json', framing: 'lines' });
    wire.end('{"a":1}\n[2]\n3');
    const got: unknown[] = [];
    for await (const m of ch) got.push(m);
    expect(got).toEqual([{ a: 1 }, [2], 3]);
  });

  it('refuses bad arguments with ERR_INVALID_ARGUMENT', () => {
    expect(() => streamChannel({} as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => streamChannel(new PassThrough(), { framing: 'xml' as 'lines' })).toThrow(
      /length-prefixed, lines/,
    );
    expect(() => streamChannel(new PassThrough(), { validate: 5 as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });

  it('maps OS errors to codes and keeps the cause', () => {
    const os = Object.assign(new Error('connect ENOENT /x'), { code: 'ENOENT', syscall: 'connect' });
    const err = toIpcError(os);
    expect(err).toBeInstanceOf(IpcError);
    expect(err).toMatchObject({ code: 'ERR_NOT_FOUND', errno: 'ENOENT', syscall: 'connect', cause: os });
    expect(isIpcError(err, 'ERR_NOT_FOUND')).toBe(true);
    expect(isIpcError(err, 'ERR_CLOSED')).toBe(false);
    expect(isIpcError(new Error('x'))).toBe(false);
    expect(toIpcError('weird', 'ERR_DECODE').code).toBe('ERR_DECODE');
  });
});

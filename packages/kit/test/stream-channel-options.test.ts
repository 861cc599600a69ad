import { describe, expect, it } from '@jest/globals';
import { checkStreamChannelOptions, splitStreamChannelOptions } from '@ipc/kit';

describe('splitStreamChannelOptions', () => {
  it("separates the channel's options from a transport's others", () => {
    const endCheck = (): Promise<undefined> => Promise.resolve(undefined);
    const own = {
      codec: 'json',
      framing: 'lines',
      maxFrameBytes: 1024,
      highWaterMessages: 8,
      endCheck,
    } as const;
    const { channel, rest } = splitStreamChannelOptions({ ...own, cwd: '/', env: { A: '1' } });
    expect(channel).toEqual(own);
    expect(rest).toEqual({ cwd: '/', env: { A: '1' } });
  });

  it('refuses a bad codec, framing or frame limit with ERR_INVALID_ARGUMENT', () => {
    const bad = [{ codec: 'nope' }, { framing: 'nope' }, { maxFrameBytes: -1 }] as const;
    for (const options of bad) {
      expect(() => checkStreamChannelOptions(options as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
      const mixed: Record<string, unknown> = { ...options, cwd: '/' };
      expect(() => splitStreamChannelOptions(mixed)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    }
  });
});

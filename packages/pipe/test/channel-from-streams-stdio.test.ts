import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { channelFromStreams } from '@ipc/pipe';

describe("channelFromStreams over a child's stdin and stdout", () => {
  it('exchanges messages with a child that speaks on its standard streams', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'stdio-echo-child.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const channel = channelFromStreams(child.stdout, child.stdin);
    for (let i = 0; i < 1000; i++) await channel.send({ i });
    for (let i = 0; i < 1000; i++) expect(await channel.recv()).toEqual({ echo: { i } });
    await channel.close();
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  });

  it('says which stream is missing with ERR_INVALID_ARGUMENT', () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: ['pipe', 'ignore', 'inherit'] });
    expect(() => channelFromStreams(child.stdout, child.stdin)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', message: expect.stringMatching(/readable/) }),
    );
    expect(() => channelFromStreams(process.stdin, null)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', message: expect.stringMatching(/writable/) }),
    );
    child.stdin?.end();
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import { killFixtures, startFixture } from './helpers/fixture-process.js';

afterEach(killFixtures);

describe('waitForSignal in a real process', () => {
  it('a child waiting for SIGUSR2 exits 0 when `kill -USR2 <pid>` from a shell reaches it', async () => {
    const child = startFixture('wait-usr2.mjs');
    await child.line('ready');
    const sh = spawn('sh', ['-c', `kill -USR2 ${child.pid}`], { stdio: 'inherit' });
    const [shCode] = await once(sh, 'exit');
    expect(shCode).toBe(0);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines).toEqual(['ready', 'got SIGUSR2', 'listeners 0']);
  });

  it('keeps the process alive while waiting and times out with ERR_TIMEOUT', async () => {
    const child = startFixture('wait-timeout.mjs');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines).toEqual(['ERR_TIMEOUT listeners 0']);
  });
});

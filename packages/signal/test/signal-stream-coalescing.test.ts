import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import { sendSignal } from '@ipc/signal';
import { killFixtures, startFixture } from './helpers/fixture-process.js';

afterEach(killFixtures);

describe('signals() with real signals', () => {
  it('leaving the for-await loop removes the listeners: SIGHUP kills the process again afterwards', async () => {
    const child = startFixture('stream-break.mjs');
    await child.line('ready');
    sendSignal(child.pid, 'SIGUSR2');
    await child.line('ready again');
    expect(child.lines).toEqual(['ready', 'got SIGUSR2 listeners 1', 'after 0 0', 'ready again']);
    sendSignal(child.pid, 'SIGHUP');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGHUP' });
  });

  it('five quick SIGHUPs to a busy reader come out as one (the fact that one arrived is kept), in arrival order', async () => {
    const child = startFixture('coalesce-self.mjs');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(JSON.parse(child.lines[0]!)).toEqual({
      pending: ['SIGHUP', 'SIGUSR2'],
      got: ['SIGHUP', 'SIGUSR2'],
      coalesced: 4,
    });
  });

  it('a storm of N signals from a shell arrives as between 1 and N, never as none', async () => {
    const n = 200;
    const child = startFixture('signal-storm.mjs');
    await child.line('ready');
    const sh = spawn('sh', [
      '-c',
      `i=0; while [ $i -lt ${n} ]; do kill -USR2 ${child.pid}; i=$((i+1)); done; kill -ALRM ${child.pid}`,
    ]);
    expect((await once(sh, 'exit'))[0]).toBe(0);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    const { raw, read } = JSON.parse(child.lines[1]!) as { raw: number; read: number };
    expect(raw).toBeGreaterThanOrEqual(1);
    expect(raw).toBeLessThanOrEqual(n);
    expect(read).toBeGreaterThanOrEqual(1);
    expect(read).toBeLessThanOrEqual(raw);
  });
});

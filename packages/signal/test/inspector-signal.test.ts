import { afterEach, describe, expect, it } from '@jest/globals';
import { sendSignal } from '@ipc/signal';
import { killFixtures, startFixture } from './helpers/fixture-process.js';

afterEach(killFixtures);

describe('SIGUSR1 (the inspector signal) with allowInspectorSignal', () => {
  it('reaches the listener without starting the inspector; afterwards SIGUSR1 terminates the process', async () => {
    const child = startFixture('inspector-signal.mjs');
    await child.line('ready');
    sendSignal(child.pid, 'SIGUSR1');
    await child.line('ready again');
    expect(child.lines).toEqual(['ready', 'got SIGUSR1', 'ready again']);
    sendSignal(child.pid, 'SIGUSR1');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGUSR1' });
    expect(child.stderr()).not.toContain('Debugger listening');
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { streamChannel } from '@ipc/kit';
import { childEchoPeer } from '@ipc/core/testing';

const idleChild = () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });

describe('childEchoPeer', () => {
  it('kill SIGKILLs the child and resolves once it has exited', async () => {
    const child = idleChild();
    const peer = childEchoPeer(streamChannel(new PassThrough()), child);
    await peer.kill();
    expect(child.signalCode).toBe('SIGKILL');
    await peer.channel.close();
  });

  it('cleanup kills a running child, then releases', async () => {
    const child = idleChild();
    const order: string[] = [];
    const peer = childEchoPeer(streamChannel(new PassThrough()), child, () => {
      order.push(`release after ${String(child.signalCode)}`);
    });
    await peer.cleanup?.();
    expect(order).toEqual(['release after SIGKILL']);
    await peer.channel.close();
  });

  it('sees an exit that happened before it was called (no hang), and still releases', async () => {
    const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
    await once(child, 'exit');
    let released = 0;
    const peer = childEchoPeer(streamChannel(new PassThrough()), child, async () => {
      released++;
    });
    await peer.cleanup?.();
    await peer.kill();
    expect({ code: child.exitCode, released }).toEqual({ code: 3, released: 1 });
    await peer.channel.close();
  });
});

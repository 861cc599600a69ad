import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Channel } from '../channel.js';
import type { EchoPeer } from './conformance.js';

/**
 * The {@link EchoPeer} of an echo process a fixture started: `kill` SIGKILLs `child` and resolves once
 * it has exited; `cleanup` kills it too if it still runs, waits for its exit, then calls `release` for
 * whatever else the fixture made (folders, FIFOs, servers). It may be called any time after the
 * spawn: an exit that already happened is seen.
 *
 * @example
 * ```ts
 * const child = spawn(process.execPath, ['echo-peer.mjs', path], { stdio: 'inherit' });
 * return childEchoPeer(await connect(path), child, () => dir.remove());
 * ```
 */
export function childEchoPeer(
  channel: Channel<unknown>,
  child: ChildProcess,
  release?: () => void | Promise<void>,
): EchoPeer {
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  // exitCode/signalCode are set just before 'exit' is emitted: no exit falls between the look and the listener.
  const exited = running() ? once(child, 'exit') : Promise.resolve();
  return {
    channel,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    cleanup: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
      await release?.();
    },
  };
}

import type { Scenario } from '../suite/scenario.js';

/**
 * A deliberately hanging scenario for the harness's own test (only with IPC_CHAOS_SELF_TEST=1): it
 * starts a peer that never ends and never returns; the suite must report it hung, kill the peer, and
 * fail the run.
 */
export const selfTestHang: Scenario = {
  name: 'self-test-hang',
  description: 'the harness self-test: a scenario that never ends, with a child that never ends',
  timeoutMs: () => 3000,
  async run(ctx) {
    const peer = ctx.children.spawnPeer('hang');
    await peer.line((l) => l === 'hanging');
    ctx.row('self-test-hang peer').fact(`child pid ${String(peer.child.pid)}`);
    await new Promise(() => undefined);
  },
};

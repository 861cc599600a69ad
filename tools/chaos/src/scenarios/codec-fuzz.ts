import type { FuzzRow } from '../peers/fuzz-role.js';
import { sleep } from '../suite/bounded.js';
import type { Scenario } from '../suite/scenario.js';

/** (b) A fuzz pass over every codec and frame decoder, in a child process (a crash is a finding). */
export const codecFuzz: Scenario = {
  name: 'codec-fuzz',
  description:
    'decodes random, mutated and known-hostile bytes with every codec (msgpack, json, structured, raw) and frame decoder (length-prefixed, also fed as socket reads, and lines): only IpcError, only plain data, no memory growth; 4-byte headers claiming 64 MiB frames must not reserve them',
  timeoutMs: ({ quick }) => (quick ? 120_000 : 900_000),
  async run(ctx) {
    const args = {
      count: ctx.quick ? 20_000 : 500_000,
      partialHeaders: ctx.quick ? 20 : 60,
      seed: Date.now() % 1e9,
    };
    const peer = ctx.children.spawnPeer('fuzz', args, ['--expose-gc', '--max-old-space-size=1024']);
    const done = await peer
      .line((l) => l === 'done', this.timeoutMs(ctx) - 5000)
      .then(
        () => true,
        (err: unknown) => String(err),
      );
    await sleep(50);
    for (const line of peer.lines) {
      if (line === 'note no --expose-gc') ctx.row('codec-fuzz').note('no gc: memory figures are rough');
      if (!line.startsWith('row ')) continue;
      const r = JSON.parse(line.slice(4)) as FuzzRow;
      const row = ctx.row(r.name);
      row.tried += r.tried;
      row.survived += r.survived;
      row.wrong += r.tried - r.survived;
      for (const n of r.notes) row.note(n);
      for (const f of r.facts) row.fact(f);
      row.fact(`seed ${args.seed}`);
    }
    if (done !== true) ctx.row('codec-fuzz process').fail(`the fuzzing process did not finish: ${done}`);
    await peer.kill();
  },
};

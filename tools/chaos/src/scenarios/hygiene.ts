import { lstatSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { CHAOS_PREFIX } from '../suite/run-suite.js';
import type { Scenario } from '../suite/scenario.js';

const SHM_DIR = '/dev/shm';

/** Every file (not folder) under `dir`, and every `.ipc-*` folder (a listen() temp folder), relative to it. */
function leftovers(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        if (name.startsWith('.ipc-')) found.push(`${relative(dir, path)}/`);
        walk(path);
      } else found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found;
}

function list(what: string[], max = 6): string {
  return what.length <= max
    ? what.join(', ')
    : `${what.slice(0, max).join(', ')} and ${what.length - max} more`;
}

/** (f) Hygiene: what the other scenarios left behind, looked at after they closed everything. */
export const hygiene: Scenario = {
  name: 'hygiene',
  description:
    'after every other scenario: no segment of the suite left in /dev/shm, no file, socket, FIFO, spool message or .ipc-XXXXXX folder left in the scenarios’ folders, nothing of the suite’s left in /tmp, no child process left',
  timeoutMs: () => 30_000,
  async run(ctx) {
    const shm = ctx.row('hygiene /dev/shm');
    const shmLeft = readdirSync(SHM_DIR).filter((n) => n.startsWith(CHAOS_PREFIX));
    if (shmLeft.length === 0) shm.ok();
    else shm.fail(`left in /dev/shm: ${list(shmLeft)}`);

    const files = ctx.row('hygiene scenario folders (sockets, FIFOs, spool, .ipc-*)');
    const left = leftovers(ctx.root).filter((p) => !p.startsWith(`${basename(ctx.dir)}`));
    if (left.length === 0) files.ok();
    else files.fail(`left behind: ${list(left)}`);

    const tmp = ctx.row('hygiene /tmp');
    const tmpLeft = readdirSync(tmpdir()).filter(
      (n) => n.startsWith(CHAOS_PREFIX) && join(tmpdir(), n) !== ctx.root && !ctx.otherRuns.includes(n),
    );
    if (tmpLeft.length === 0) tmp.ok();
    else tmp.fail(`left in ${tmpdir()}: ${list(tmpLeft)}`);

    const kids = ctx.row('hygiene child processes');
    if (ctx.liveChildren() === 0) kids.ok();
    else kids.fail(`${ctx.liveChildren()} child process(es) still running`);
  },
};

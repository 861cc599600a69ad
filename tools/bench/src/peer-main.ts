/** The peer process of a W1–W3 case (started by the driver through `spawnPeer`). */
import type { LinkWorkload } from './adapter.js';
import { decodeSpec } from './process/case-spec.js';
import { loadCase } from './process/load-case.js';
import { oneLine } from './process/one-line.js';
import { exitWithParent } from './process/watch-parent.js';
import { setVerifyAll } from './workloads/messages.js';
import { runLinkPeer } from './workloads/link-peer.js';

exitWithParent();
try {
  const spec = decodeSpec(process.argv[2]);
  setVerifyAll(spec.verifyAll === true);
  const c = await loadCase(spec.module, spec.caseName);
  if (c.link === undefined) throw new Error(`${c.name} has no link sides`);
  const workload = spec.workload as LinkWorkload;
  const link = await c.link.peer({
    caseName: c.name,
    workload,
    payload: workload === 'W3' ? 'bytes' : 'object',
    dir: spec.dir,
    id: spec.id,
    info: spec.info,
  });
  await runLinkPeer(link, workload, spec.counts);
  await link.close();
  process.exit(0);
} catch (err) {
  process.stderr.write(`peer: ${oneLine(err)}\n`);
  process.exit(1);
}

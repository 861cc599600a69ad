/** A W4 producer or consumer process (started by the parent in `run-queue-case.ts`). */
import { decodeSpec } from './process/case-spec.js';
import { ControlPipe } from './process/control-pipe.js';
import { loadCase } from './process/load-case.js';
import { oneLine } from './process/one-line.js';
import { exitWithParent } from './process/watch-parent.js';
import { setVerifyAll } from './workloads/messages.js';
import { runQueueRole } from './workloads/queue-role.js';

exitWithParent();
const control = ControlPipe.ofChild();
try {
  const spec = decodeSpec(process.argv[2]);
  setVerifyAll(spec.verifyAll === true);
  const c = await loadCase(spec.module, spec.caseName);
  await runQueueRole(c, spec, control);
  control.close();
  process.exit(0);
} catch (err) {
  const error = oneLine(err);
  process.stderr.write(`${error}\n`);
  await control.send({ t: 'error', error }).catch(() => undefined);
  process.exit(1);
}

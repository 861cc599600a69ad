/**
 * One case run, in a fresh process: the driver (W1–W3), the parent (W4) or the runner of an external
 * program. Started by the CLI with a Node IPC channel; sends back `{ ok, measurement | error }`.
 */
import { rmSync } from 'node:fs';
import { decodeSpec } from './process/case-spec.js';
import { loadCase } from './process/load-case.js';
import { oneLine } from './process/one-line.js';
import { exitWithParent } from './process/watch-parent.js';
import { setVerifyAll } from './workloads/messages.js';
import type { CaseOutcome } from './run/case-outcome.js';
import type { Measurement } from './workloads/measurement.js';
import { runExternalCase } from './workloads/run-external-case.js';
import { runLinkCase } from './workloads/run-link-case.js';
import { runQueueCase } from './workloads/run-queue-case.js';

exitWithParent();
const spec = decodeSpec(process.argv[2]);
setVerifyAll(spec.verifyAll === true);
let outcome: CaseOutcome;
try {
  const c = await loadCase(spec.module, spec.caseName);
  let measurement: Measurement;
  if (c.external !== undefined) measurement = await runExternalCase(c, spec);
  else if (spec.workload === 'W4') measurement = await runQueueCase(c, spec);
  else measurement = await runLinkCase(c, spec);
  outcome = { ok: true, measurement };
} catch (err) {
  outcome = { ok: false, error: oneLine(err) };
}
rmSync(spec.dir, { recursive: true, force: true });
if (process.send !== undefined) process.send(outcome, () => process.exit(0));
else {
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  process.exit(0);
}

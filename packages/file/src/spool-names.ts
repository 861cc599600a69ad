import { formatIdentity, selfIdentity } from '@ipc/kit';

/** The suffix of the end-of-stream marker a closing sender drops when asked to (`end: true`). */
export const END_SUFFIX = '.ipc-end';

const NAME = /^(\d{15})\.(\d{9})\.(\d+-\d+)(\.ipc-end)?$/;

let lastTime = 0;
let counter = 0;

/**
 * A new spool file name, unique on this machine and sortable in send order:
 * `<ms since epoch, 15 digits>.<per-process counter, 9 digits>.<pid>-<start>`. The time never goes
 * backwards within a process (a clock step back keeps the last time), so the names of one process
 * sort in the order they were made; names of different processes interleave by time.
 */
export function nextSpoolName(): string {
  const now = Date.now();
  if (now > lastTime) lastTime = now;
  counter = (counter + 1) % 1_000_000_000;
  return `${String(lastTime).padStart(15, '0')}.${String(counter).padStart(9, '0')}.${formatIdentity(selfIdentity())}`;
}

/** Whether `name` is an end-of-stream marker made by a sender (not any file that a user dropped). */
export function isEndMarker(name: string): boolean {
  return name.endsWith(END_SUFFIX) && NAME.test(name);
}

/** The writer identity (`<pid>-<start>`) in a name made by {@link nextSpoolName}, if it is one. */
export function writerOf(name: string): string | undefined {
  return NAME.exec(name)?.[3];
}

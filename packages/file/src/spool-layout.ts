import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { IpcError, toIpcError } from '@ipc/core';

/** The folders of a spool: `tmp` (being written), `new` (ready), `cur/<consumer>` (claimed), `dead` (undecodable). */
export interface SpoolLayout {
  readonly root: string;
  readonly tmp: string;
  readonly new: string;
  readonly cur: string;
  readonly dead: string;
}

/** The paths of the spool folder `dir`. */
export function spoolLayout(dir: string): SpoolLayout {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'a spool needs a folder path');
  }
  return {
    root: dir,
    tmp: join(dir, 'tmp'),
    new: join(dir, 'new'),
    cur: join(dir, 'cur'),
    dead: join(dir, 'dead'),
  };
}

/** Creates the spool's folders that are missing, owner-only (mode 0700); existing folders are left as they are. */
export function ensureSpool(layout: SpoolLayout): void {
  try {
    for (const path of [layout.tmp, layout.new, layout.cur])
      mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw toIpcError(err, 'ERR_INTERNAL', `cannot create the spool folder ${layout.root}`);
  }
}

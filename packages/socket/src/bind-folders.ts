import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIdentity, isProcessAlive, parseIdentity, selfIdentity } from '@ipc/kit';

/**
 * The private folders `listen` binds a Unix socket in before linking it into place are named
 * `.ipc-<pid>-<start>-XXXXXX`: the creating process's identity (@ipc/kit's `ProcessIdentity`: pid and
 * start time). A process killed while it listens leaves its folder behind; the next `listen` in the
 * same directory removes those whose creator is gone by kit's `isProcessAlive` — the pid no longer
 * runs, is a zombie, or now runs a process that started at another time (a reused pid) — and never
 * one whose creator still runs.
 */
const FOLDER = /^\.ipc-\d+-\d+-[A-Za-z0-9]{6}$/;

/** The `mkdtemp` prefix of this process's bind folders (`.ipc-<pid>-<start>-`). */
export function bindFolderPrefix(): string {
  return `.ipc-${formatIdentity(selfIdentity())}-`;
}

/**
 * Removes the bind folders in `dir` left by processes that are gone (see above), when they belong to
 * this user. Errors are ignored: reclaiming is best effort and never stops a `listen`.
 */
export async function reclaimDeadBindFolders(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    if (!FOLDER.test(name)) continue;
    const id = parseIdentity(name.slice('.ipc-'.length));
    if (id === undefined || id.pid === process.pid || isProcessAlive(id.pid, id.start)) continue;
    const folder = join(dir, name);
    try {
      const info = await lstat(folder);
      if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
      await rm(folder, { recursive: true, force: true });
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

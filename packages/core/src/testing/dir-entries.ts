import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The names in the folder `dir` that start with `prefix` (dot files included). */
export function entriesStartingWith(dir: string, prefix: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(prefix));
}

/**
 * Waits until the folder `dir` holds a name that starts with `prefix` (a socket file, a FIFO, a
 * doorbell another process makes), looking every 5 ms, and resolves with it.
 */
export async function entryStartingWith(dir: string, prefix: string): Promise<string> {
  for (;;) {
    const [name] = entriesStartingWith(dir, prefix);
    if (name !== undefined) return name;
    await sleep(5);
  }
}

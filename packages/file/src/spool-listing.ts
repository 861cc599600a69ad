import { writerOf } from './spool-names.js';

/**
 * Which names of `new/` a receiver may claim now, from two listings of the folder made one after the
 * other (`first`, then `second`, each sorted by name), and whether names were left for the next
 * listing.
 *
 * A listing made while files are renamed into the folder is not a snapshot: ext4 lists big folders
 * in hash order, so a listing can show a file renamed in after an earlier one that it missed. A sender
 * renames its files in name order, so the rule is, for the files of each writer (the `<pid>-<start>`
 * in a sender's names; files dropped by other programs count as one writer): a name that the second
 * listing shows and the first did not (renamed in while the folder was listed) waits, and so does
 * every later name of that writer. Then a name taken now was in the folder before the second listing
 * began, and so was every earlier file of its writer: the second listing, which ran while they were
 * all there, shows them, and none of them waits. "Sorts before the last name of the first listing" is
 * no such proof: names of different writers interleave by time, and a slow writer's file can carry an
 * older name than a fast writer's file that was renamed in before it.
 *
 * @param first - the first listing, sorted
 * @param second - the second listing, sorted
 * @returns the names to claim now (in order), and `more`: names were left for the next listing
 */
export function claimableNames(
  first: readonly string[],
  second: readonly string[],
): { names: string[]; more: boolean } {
  const seen = new Set(first);
  const waiting = new Set<string>(); // writers with a name that waits
  const names: string[] = [];
  for (const name of second) {
    const writer = writerOf(name) ?? '';
    if (waiting.has(writer)) continue;
    if (seen.has(name)) names.push(name);
    else waiting.add(writer);
  }
  return { names, more: names.length < second.length };
}

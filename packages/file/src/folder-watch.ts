import { watch, type FSWatcher } from 'node:fs';

/** Options of {@link watchFolder}. */
export interface FolderWatchOptions {
  /** Use inotify (`fs.watch`) for prompt wake-ups (default true). */
  watch?: boolean | undefined;
  /** Also call `onChange` every this many ms, as a fallback for missed or impossible watches (default 1000). */
  pollInterval?: number | undefined;
  /** Only report changes whose file name passes this test (all when undefined). */
  filter?: ((fileName: string) => boolean) | undefined;
}

/** A running folder watch; `close()` stops it. */
export interface FolderWatch {
  /** Whether inotify wake-ups are active (false: polling only). */
  readonly watching: boolean;
  /** Stops watching and polling. Idempotent. */
  close(): void;
}

/**
 * Calls `onChange` when something in `path` changes (inotify through `fs.watch`) and, as a fallback,
 * every `pollInterval` ms. If the watch cannot be set up (no inotify, the `fs.inotify.max_user_watches`
 * limit), polling alone goes on.
 */
export function watchFolder(
  path: string,
  onChange: () => void,
  options: FolderWatchOptions = {},
): FolderWatch {
  const { filter } = options;
  let watcher: FSWatcher | undefined;
  if (options.watch !== false) {
    try {
      watcher = watch(path, { persistent: true }, (_event, fileName) => {
        if (filter === undefined || (typeof fileName === 'string' && filter(fileName))) onChange();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined;
    }
  }
  const pollInterval = options.pollInterval ?? 1000;
  const timer = setInterval(onChange, pollInterval);
  return {
    get watching() {
      return watcher !== undefined;
    },
    close() {
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}

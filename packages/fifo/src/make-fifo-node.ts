import { execFile } from 'node:child_process';
import { IpcError } from '@ipc/core';

/** What ran a helper program: its exit status and error output, or `missing` when it is not installed. */
interface HelperResult {
  missing: boolean;
  ok: boolean;
  stderr: string;
}

function run(file: string, args: string[], signal: AbortSignal | undefined): Promise<HelperResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { signal, timeout: 10_000, env: { ...process.env, LC_ALL: 'C' } },
      (err, _out, stderr) => {
        const code = (err as NodeJS.ErrnoException | null)?.code;
        resolve({ missing: code === 'ENOENT', ok: err === null, stderr: String(stderr).trim() });
      },
    );
  });
}

/**
 * Makes the FIFO node: Node has no `mkfifo(3)` binding, so this runs one program, once, at creation
 * (never per message): `mkfifo -m <mode> -- <path>` (coreutils/busybox, POSIX), or when that is not
 * installed, Python's `os.mkfifo`. Resolves `true` when made, `false` when the program failed (the
 * caller inspects the file system to say why).
 *
 * @throws IpcError `ERR_UNSUPPORTED` when neither `mkfifo` nor `python3` can be run
 */
export async function makeFifoNode(
  path: string,
  mode: number,
  signal: AbortSignal | undefined,
): Promise<{ made: boolean; detail: string }> {
  const octal = mode.toString(8);
  const viaMkfifo = await run('mkfifo', ['-m', octal, '--', path], signal);
  if (!viaMkfifo.missing) return { made: viaMkfifo.ok, detail: viaMkfifo.stderr };
  const script = 'import os, sys\nos.mkfifo(sys.argv[1], int(sys.argv[2], 8))';
  const viaPython = await run('python3', ['-c', script, path, octal], signal);
  if (!viaPython.missing) return { made: viaPython.ok, detail: viaPython.stderr };
  throw new IpcError(
    'ERR_UNSUPPORTED',
    'cannot create a FIFO: neither the mkfifo program nor python3 is installed (Node has no mkfifo)',
  );
}

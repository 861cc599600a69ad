import childProcess, { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '@ipc/kit';
import { temporaryOwner } from '../src/temporary-name.js';

/** The fixtures folder. */
export const FIXTURES = join(__dirname, 'fixtures');

/** Runs `node fixtures/<file> ...args` to its end; resolves its stdout, rejects on a non-zero exit. */
export function runNode(file: string, args: string[], input?: string): Promise<string> {
  return run(process.execPath, [join(FIXTURES, file), ...args], input);
}

/** Runs a program to its end; resolves its stdout, rejects on a non-zero exit with its stderr. */
export function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${String(code ?? signal)}: ${err}`)),
    );
    child.stdin.end(input);
  });
}

/** The pids of the child processes this test file started (recorded by `child-pids.cjs`). */
function childPids(): ReadonlySet<number> {
  const record = (childProcess as unknown as Record<symbol, { pids: Set<number> } | undefined>)[
    Symbol.for('@ipc/shm test: child pids')
  ];
  return record?.pids ?? new Set();
}

/**
 * The names in /dev/shm that this test process or its children made and left (`ipc-test-<pid>-…`), and
 * temporaries and doorbells (`.ipc-shm-<pid>-…`) of this process or of the dead processes it started —
 * not those of other test files' processes (which may be killed on purpose, their survivor not closed
 * yet).
 */
export function leftovers(): string[] {
  const children = childPids();
  return readdirSync('/dev/shm').filter((n) => {
    if (n.startsWith(`ipc-test-${process.pid}-`)) return true;
    const owner = temporaryOwner(n);
    if (owner === undefined) return false;
    return owner === process.pid || (children.has(owner) && !isProcessAlive(owner, 0));
  });
}

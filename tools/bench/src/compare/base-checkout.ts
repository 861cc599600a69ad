import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs a command to completion, inheriting the output; throws on failure. */
function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
  return String(r.stdout).trim();
}

/**
 * A built checkout of `rev` for `npm run bench:compare`: a detached git worktree in
 * `<repo>/.bench-compare/<sha>`, installed (`npm ci`, which also builds the native addons) and built
 * once; later comparisons with the same commit reuse it (`fresh` reinstalls).
 */
export function baseCheckout(repo: string, rev: string, fresh: boolean): string {
  const sha = run('git', ['-C', repo, 'rev-parse', '--verify', `${rev}^{commit}`]);
  const dir = join(repo, '.bench-compare', sha.slice(0, 12));
  const ready = join(dir, '.bench-compare-ready');
  if (existsSync(ready) && !fresh) return dir;
  if (!existsSync(dir)) run('git', ['-C', repo, 'worktree', 'add', '--detach', dir, sha]);
  process.stderr.write(`bench:compare: installing and building ${rev} (${sha.slice(0, 12)}) in ${dir}\n`);
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  run('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(ready, `${sha}\n`);
  return dir;
}

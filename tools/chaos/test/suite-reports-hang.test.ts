import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the chaos harness', () => {
  it('reports a hanging scenario as hung, kills its child, and exits 1', () => {
    const { status, stdout } = runCli(['--only', 'self-test-hang'], { IPC_CHAOS_SELF_TEST: '1' });
    expect(stdout).toMatch(
      /\| self-test-hang +\| 1 +\| 0 +\| 0 +\| 1 +\| 0 +\| FAIL +\| hung: the scenario did not end within 3 s/,
    );
    expect(status).toBe(1);
    const pid = Number(/child pid (\d+)/.exec(stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(stdout).toMatch(/\| hygiene child processes +\| 1 +\| 1 .*\| ok/);
  });

  it('passes a run with nothing wrong (only the hygiene check) and exits 0', () => {
    const { status, stdout } = runCli(['--only', '']);
    expect(stdout).toMatch(/\| hygiene \/dev\/shm +\| 1 +\| 1 .*\| ok/);
    expect(status).toBe(0);
  });

  it('refuses an unknown scenario or option with exit 2', () => {
    expect(runCli(['--only', 'no-such-scenario']).status).toBe(2);
    expect(runCli(['--bogus']).status).toBe(2);
  });

  it('does not offer the self-test scenario without IPC_CHAOS_SELF_TEST', () => {
    const { status, stdout } = runCli(['--list']);
    expect(status).toBe(0);
    expect(stdout).toContain('peer-death:');
    expect(stdout).not.toContain('self-test-hang');
  });
});

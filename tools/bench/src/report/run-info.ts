import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem, type } from 'node:os';

/** The machine a run was measured on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  python?: string;
}

/** Context of one run, for the reports. */
export interface RunInfo {
  date: string;
  command: string;
  size: string;
  launches: number;
  /** What ran untimed before the measurement, per workload (one line for the report). */
  warmUp: string;
  /** The busy-loop counts measured (`--contention`; `[0]`, a quiet machine, by default). */
  contention?: number[];
  duration: string;
  machine: MachineInfo;
  note?: string;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const c = cpus();
  const info: MachineInfo = {
    cpus: c.length,
    cpuModel: (c[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
  };
  const py = spawnSync(process.env['IPC_BENCH_PYTHON'] ?? 'python3', ['--version'], {
    encoding: 'utf8',
    timeout: 5000,
  });
  const version = /Python (\S+)/.exec(`${py.stdout ?? ''}${py.stderr ?? ''}`)?.[1];
  if (version !== undefined) info.python = version;
  return info;
}

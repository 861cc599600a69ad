import type { Workload } from '../adapter.js';
import type { RegisteredCase } from './registry.js';

/** One step of a run: a case on a workload in one launch, with `contention` busy loops beside it. */
export interface Step {
  reg: RegisteredCase;
  workload: Workload;
  launch: number;
  contention: number;
}

/**
 * Interleaved rounds (SPEC.md): every selected case on every selected workload once, then all again,
 * `launches` times, so that drifts in machine load are shared. With several contention levels, each
 * case runs at every level back to back, so the quiet and the loaded figures share the drift too.
 */
export function planSteps(
  cases: readonly RegisteredCase[],
  workloads: readonly Workload[],
  launches: number,
  contention: readonly number[] = [0],
): Step[] {
  const steps: Step[] = [];
  for (let launch = 1; launch <= launches; launch++) {
    for (const workload of workloads) {
      for (const reg of cases) {
        if (!reg.case.workloads.includes(workload)) continue;
        for (const level of contention) steps.push({ reg, workload, launch, contention: level });
      }
    }
  }
  return steps;
}

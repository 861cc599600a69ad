import type { Workload } from '../adapter.js';
import type { RegisteredCase } from './registry.js';

/** One step of a run: a case on a workload in one launch. */
export interface Step {
  reg: RegisteredCase;
  workload: Workload;
  launch: number;
}

/**
 * Interleaved rounds (SPEC.md): every selected case on every selected workload once, then all again,
 * `launches` times, so that drifts in machine load are shared.
 */
export function planSteps(
  cases: readonly RegisteredCase[],
  workloads: readonly Workload[],
  launches: number,
): Step[] {
  const steps: Step[] = [];
  for (let launch = 1; launch <= launches; launch++) {
    for (const workload of workloads) {
      for (const reg of cases)
        if (reg.case.workloads.includes(workload)) steps.push({ reg, workload, launch });
    }
  }
  return steps;
}

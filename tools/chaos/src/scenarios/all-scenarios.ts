import type { Scenario } from '../suite/scenario.js';
import { codecFuzz } from './codec-fuzz.js';
import { peerDeath } from './peer-death.js';
import { socketHostile } from './socket-hostile.js';
import { lockOwnerKill } from './lock-owner-kill.js';
import { queueUserKill } from './queue-user-kill.js';
import { rabbitmqRestart } from './rabbitmq-restart.js';
import { hygiene } from './hygiene.js';
import { socketLifecycle } from './socket-lifecycle.js';
import { zmqPipeline } from './zmq-pipeline.js';
import { spoolConsumers } from './spool-consumers.js';
import { selfTestHang } from './self-test.js';

/** The check that runs after the chosen scenarios, always. */
export const finalCheck: Scenario = hygiene;

/** Every scenario but the final hygiene check, in the order of a pass. */
export const allScenarios: readonly Scenario[] = [
  peerDeath,
  codecFuzz,
  socketHostile,
  socketLifecycle,
  lockOwnerKill,
  queueUserKill,
  zmqPipeline,
  spoolConsumers,
  rabbitmqRestart,
  ...(process.env['IPC_CHAOS_SELF_TEST'] === '1' ? [selfTestHang] : []),
];

import { fuzzRole } from './fuzz-role.js';
import { hangRole } from './hang-role.js';
import { listenLoopRole } from './listen-loop-role.js';
import { zmqProducerRole } from './zmq-producer-role.js';
import { spoolConsumerRole, spoolProducerRole } from './spool-roles.js';
import { senderRole } from './sender-role.js';
import { socketServerRole } from './socket-server-role.js';
import { churnMutexRole, holdMutexRole } from './lock-roles.js';
import { queueConsumerRole } from './queue-consumer-role.js';

/** Every role a child process can play, by name. */
export const roles: Readonly<Record<string, (args: never) => Promise<void>>> = {
  sender: senderRole,
  fuzz: fuzzRole,
  hang: hangRole,
  'listen-loop': listenLoopRole,
  'zmq-producer': zmqProducerRole,
  'spool-producer': spoolProducerRole,
  'spool-consumer': spoolConsumerRole,
  'socket-server': socketServerRole,
  'hold-mutex': holdMutexRole,
  'churn-mutex': churnMutexRole,
  'queue-consumer': queueConsumerRole,
};

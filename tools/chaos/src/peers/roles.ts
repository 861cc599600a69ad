import { fuzzRole } from './fuzz-role.js';
import { senderRole } from './sender-role.js';
import { socketServerRole } from './socket-server-role.js';

/** Every role a child process can play, by name. */
export const roles: Readonly<Record<string, (args: never) => Promise<void>>> = {
  sender: senderRole,
  fuzz: fuzzRole,
  'socket-server': socketServerRole,
};

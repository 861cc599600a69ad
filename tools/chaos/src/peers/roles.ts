import { senderRole } from './sender-role.js';

/** Every role a child process can play, by name. */
export const roles: Readonly<Record<string, (args: never) => Promise<void>>> = {
  sender: senderRole,
};

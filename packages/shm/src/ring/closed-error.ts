import { IpcError } from '@ipc/core';

/** The error of a call on an `ShmChannel` this process closed. */
export function closedError(): IpcError {
  return new IpcError('ERR_CLOSED', 'the channel is closed');
}

import { IpcError } from '@ipc/core';
import type { ZmqLink } from './zmq-link.js';
import { isClosedError, remoteErrorText, type ReplyHandler } from './zmq-request.js';
import { CONTROL, ERROR } from './zmq-wire.js';

/**
 * The replying side of ZeroMQ request/reply (`REP`): runs `handler` for each request, one at a time,
 * and sends its result back. A handler that throws (or a request that cannot be decoded) sends an
 * error reply: the requester gets `ERR_REMOTE`. `done` settles when the replier stops.
 *
 * @typeParam Req - the requests
 * @typeParam Res - the replies
 */
export class ZmqReplier<Req, Res> implements AsyncDisposable {
  /** Resolves when the replier is closed; rejects if it failed. */
  readonly done: Promise<void>;

  /** @internal */
  constructor(
    private readonly link: ZmqLink<Res, Req>,
    private readonly handler: ReplyHandler<Req, Res>,
  ) {
    this.done = this.serve();
    this.done.catch(() => undefined);
  }

  /** Stops serving (a request being handled still gets its reply, within `linger`). Idempotent. */
  close(): Promise<void> {
    return this.link.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async serve(): Promise<void> {
    for (;;) {
      let request: Req;
      try {
        request = await this.link.recv();
      } catch (err) {
        if (isClosedError(err) || this.link.closed) return;
        if (err instanceof IpcError && (err.code === 'ERR_DECODE' || err.code === 'ERR_INVALID_MESSAGE')) {
          await this.fail(err);
          continue;
        }
        throw err;
      }
      let reply: Res;
      try {
        reply = await this.handler(request);
      } catch (err) {
        await this.fail(err);
        continue;
      }
      await this.link.send(reply).catch(async (err: unknown) => {
        if (!this.link.closed) await this.fail(err);
      });
    }
  }

  private async fail(err: unknown): Promise<void> {
    await this.link.sendFrames([CONTROL, ERROR, Buffer.from(remoteErrorText(err))]).catch(() => undefined);
  }
}

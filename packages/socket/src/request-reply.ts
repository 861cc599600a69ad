import { IpcError, toIpcError } from '@ipc/core';
import { HandlerContext } from './request-handler.js';
import type { PeerCredentials } from './peer-credentials.js';
import {
  errorEnvelope,
  isAbortLike,
  isEnvelope,
  refusedError,
  remoteError,
  REFUSED_ID,
  type Envelope,
} from './request-envelope.js';

/** What {@link RequestReply} needs from the channel it serves (`C`: the channel's type). */
export interface RequestReplyHost<C extends Connection> {
  /** The connection handlers see as `ctx.connection`. */
  readonly channel: C;
  /** Sends a reply; resolves (never rejects) once the link took it or failed it (reported). */
  reply(envelope: Envelope): Promise<void>;
  /** A one-way message's handler failed (no caller to tell). */
  handlerFailed(error: IpcError): void;
  /** The peer refused the whole connection (an error envelope with id 0). */
  refused(error: IpcError): void;
  /** A handled request finished (its reply written); `active` are still running. */
  finished(active: number): void;
}

/** What a handler's `ctx.connection` must offer here: its peer's credentials. */
type Connection = { readonly peer: PeerCredentials | undefined };

interface PendingRequest {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Request/reply on one connection, both ways: the requests this side sent and waits a reply for
 * (matched by id), and the requests (and, with a handler, one-way messages) this side's handler is
 * running, with their abort signals (`cancel` envelopes, close, loss).
 */
export class RequestReply<C extends Connection> {
  /** The handler of incoming requests; while set, ordinary messages go to it too. */
  handler: ((request: any, ctx: HandlerContext<C>) => unknown) | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly running = new Map<number, AbortController>();
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];

  /** @param host - the channel's side of things */
  constructor(private readonly host: RequestReplyHost<C>) {}

  /** Requests the handler is running (a request counts until its reply is written). */
  get active(): number {
    return this.inflight;
  }

  /** Registers a request about to be sent and returns its id (ids start at 1). */
  open(resolve: (value: unknown) => void, reject: (err: unknown) => void): number {
    const id = ++this.nextId;
    this.pending.set(id, { resolve, reject });
    return id;
  }

  /** Forgets request `id` (its caller gave up, or it could not be sent); whether it was still waiting. */
  forget(id: number): boolean {
    return this.pending.delete(id);
  }

  /**
   * Takes `message` if it is request/reply traffic (an envelope), or when a handler is set (a
   * one-way message for it). `false`: an ordinary message for `recv`.
   */
  take(message: unknown): boolean {
    if (isEnvelope(message) && this.takeEnvelope(message)) return true;
    if (this.handler === undefined) return false;
    this.run(undefined, message);
    return true;
  }

  /** Resolves once no request is being handled (or at once). */
  whenIdle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Rejects every request waiting for its reply with `error`. */
  rejectPending(error: IpcError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** Fires the `ctx.signal` of every running handler with `reason`. */
  abortRunning(reason: IpcError): void {
    for (const c of this.running.values()) c.abort(reason);
  }

  /** Handles a request, reply, failure or cancel; `false` for an unknown `$rpc` (an ordinary message). */
  private takeEnvelope(envelope: Envelope): boolean {
    switch (envelope.$rpc) {
      case 'res':
        this.settle(envelope.id)?.resolve(envelope.body);
        return true;
      case 'err':
        if (envelope.id === REFUSED_ID) this.host.refused(refusedError(envelope.error));
        else this.settle(envelope.id)?.reject(remoteError(envelope.error));
        return true;
      case 'req':
        this.run(envelope.id, envelope.body);
        return true;
      case 'cancel':
        this.running.get(envelope.id)?.abort(new IpcError('ERR_ABORTED', 'the caller cancelled the request'));
        return true;
      default:
        return false;
    }
  }

  private settle(id: number): PendingRequest | undefined {
    const p = this.pending.get(id);
    if (p !== undefined) this.pending.delete(id);
    return p;
  }

  private run(id: number | undefined, body: unknown): void {
    const handler = this.handler;
    if (handler === undefined) {
      void this.host.reply(
        errorEnvelope(id as number, new IpcError('ERR_UNSUPPORTED', 'no request handler on this connection')),
      );
      return;
    }
    const controller = new AbortController();
    if (id !== undefined) this.running.set(id, controller);
    this.inflight++;
    const ctx = new HandlerContext(id, controller.signal, this.host.channel);
    // A request counts against maxConcurrentRequests until its reply is written (not merely computed):
    // a client that never reads its replies then stops this connection's reading, not fills memory.
    new Promise((resolve) => resolve(handler(body, ctx)))
      .then(
        (result) => {
          if (id !== undefined && !controller.signal.aborted)
            return this.host.reply({ $rpc: 'res', id, body: result });
          return undefined;
        },
        (err: unknown) => {
          if (id === undefined)
            this.host.handlerFailed(toIpcError(err, 'ERR_REMOTE', 'one-way message handler failed'));
          else if (!(controller.signal.aborted && isAbortLike(err)))
            return this.host.reply(errorEnvelope(id, err));
          return undefined;
        },
      )
      .finally(() => {
        if (id !== undefined) this.running.delete(id);
        this.inflight--;
        this.host.finished(this.inflight);
        if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
      })
      .catch(() => undefined);
  }
}

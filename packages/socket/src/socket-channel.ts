import {
  IpcError,
  isIpcError,
  toIpcError,
  waitWith,
  type Channel,
  type RecvOptions,
  type SendOptions,
  type WaitOptions,
} from '@ipc/core';
import { type StreamChannel } from '@ipc/kit';
import { Deque, Inbox, receiveInto } from '@ipc/kit';
import type { Writable } from 'node:stream';
import type { ConnectionInfo } from './connection-info.js';
import { peerOf, type PeerCredentials } from './peer-credentials.js';
import {
  errorEnvelope,
  isAbortLike,
  isEnvelope,
  refusedError,
  remoteError,
  REFUSED_ID,
  type Envelope,
  type RemoteErrorInfo,
} from './request-envelope.js';

export type { ConnectionInfo } from './connection-info.js';

/** Where a problem that no caller is waiting for happened (see `onError`). */
export type ErrorPhase =
  'accept' | 'auth' | 'limit' | 'idle' | 'read' | 'decode' | 'handler' | 'reply' | 'reconnect';

/** The context a request handler gets. */
export interface RequestContext<Out = unknown, In = unknown> {
  /** The request's correlation id; `undefined` for a one-way message (an ordinary `send`). */
  readonly id: number | undefined;
  /** Fires when the caller gives up (timeout, abort), or the connection closes or is lost. */
  readonly signal: AbortSignal;
  /** The connection the request came on (to send notifications, or to read its `info`). */
  readonly connection: SocketChannel<Out, In>;
  /**
   * The credentials of the process that sent the request, for a Unix socket; `undefined` for TCP/TLS.
   * The same as `connection.peer`, and like it throws `ERR_UNSUPPORTED` where they cannot be read.
   */
  readonly peer: PeerCredentials | undefined;
}

/**
 * Answers requests. Its return value is the reply; what it throws reaches the caller as `ERR_REMOTE`
 * with the message (and `cause.code`/`cause.name`). An ordinary message (not a request) also goes to
 * the handler, with `ctx.id` undefined; its result is discarded and a failure is reported to `onError`.
 */
export type RequestHandler<Req = unknown, Res = unknown> = (
  request: Req,
  ctx: RequestContext,
) => Res | Promise<Res>;

/** Options of {@link SocketChannel.request}. */
export interface RequestOptions extends WaitOptions {
  /** Cancels the request: rejects with `ERR_ABORTED` and fires the handler's `ctx.signal`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for the reply (`ERR_TIMEOUT`, and the handler's `ctx.signal` fires). Default: no limit. */
  timeout?: number | undefined;
}

/** What the server or client that owns a channel does when its link ends, and where errors go. */
export interface ChannelOwner {
  /** The current link ended by itself (`error` undefined for a clean end). True: a new link will come. */
  linkLost(channel: SocketChannel<any, any>, error: IpcError | undefined): boolean;
  /** A problem no caller waits for. */
  report(error: IpcError, phase: ErrorPhase, channel: SocketChannel<any, any>): void;
  /** The channel closed (by the user, or for good). */
  closed(channel: SocketChannel<any, any>): void;
}

/** How sends behave while a reconnecting client is disconnected. */
export interface DisconnectedPolicy {
  /** `'buffer'`: a send waits for the next connection; `'fail'`: it rejects at once with `ERR_PEER_GONE`. */
  mode: 'buffer' | 'fail';
  /** In `'buffer'` mode, how many sends may wait; one more rejects with `ERR_PEER_GONE`. */
  limit: number;
}

/** Options the server and client give a channel. */
export interface SocketChannelSettings {
  /** Messages buffered before this side stops reading (the stream channel below buffers too). */
  highWaterMessages: number;
  /** Bytes (of binary and string messages) buffered before this side stops reading. */
  highWaterBytes: number;
  /** Requests handled at once on this connection (until their replies are written) before it stops reading. */
  maxConcurrentRequests: number;
  /** Unwritten outgoing bytes at which a connection with a request handler stops reading. */
  maxUnwrittenBytes: number;
}

interface PendingRequest {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface WaitingSend {
  message: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const LOCAL_HIGH_WATER_MESSAGES = 64;

/**
 * One message connection (a server's accepted connection, or a client): a {@link Channel} plus
 * request/reply. Ordinary messages are received with `recv`/iteration; requests, replies and
 * cancellations travel in envelopes (see {@link Envelope}) and never show up there.
 *
 * Breaking out of a `for await` loop does not close the channel.
 *
 * @typeParam Out - messages this side sends
 * @typeParam In - messages this side receives
 */
export class SocketChannel<Out = unknown, In = Out> implements Channel<Out, In> {
  private link: StreamChannel<unknown, unknown> | undefined;
  private readonly inbox: Inbox<In>;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly running = new Map<number, AbortController>();
  private readonly waitingSends = new Deque<WaitingSend>();
  private handler: RequestHandler<any, any> | undefined;
  private nextId = 0;
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];
  private full = false;
  private resumePump: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  private down = false;
  private connectionInfo: ConnectionInfo;
  private recvIntoUnsupported: IpcError | undefined;
  /** The byte stream the current link writes to (its socket), watched for reply backpressure. */
  private output: Writable | undefined;
  /** Replies handed to the link whose `send` has not resolved yet (waiting for the socket to drain). */
  private unsentReplies = 0;
  private watchingDrain = false;

  /**
   * @internal Made by `listen` and `connect`.
   */
  constructor(
    link: StreamChannel<unknown, unknown>,
    info: ConnectionInfo,
    private readonly owner: ChannelOwner,
    private readonly settings: SocketChannelSettings,
    private readonly disconnected: DisconnectedPolicy | undefined,
    output: Writable | undefined = undefined,
  ) {
    this.connectionInfo = info;
    this.inbox = new Inbox<In>({
      highWaterMessages: Math.min(LOCAL_HIGH_WATER_MESSAGES, settings.highWaterMessages),
      highWaterBytes: settings.highWaterBytes,
      onFull: () => {
        this.full = true;
      },
      onRoom: () => {
        this.full = false;
        this.wake();
      },
    });
    this.attach(link, info, output);
  }

  /** What is known about the current connection. */
  get info(): ConnectionInfo {
    return this.connectionInfo;
  }

  /**
   * The credentials (pid, uid, gid) of the process at the other end of a Unix socket (path or
   * abstract), read once when the connection was made (Linux `SO_PEERCRED`): on a server's
   * connection, the client process; on a client, the server process. `undefined` for TCP and TLS.
   *
   * Throws `IpcError` `ERR_UNSUPPORTED` on a Unix socket where they cannot be read: not Linux, or the
   * package's native addon was not built (see the README) — so a check like
   * `connection.peer?.uid === 0` can never pass by accident.
   *
   * @example
   * ```ts
   * for await (const connection of server) {
   *   const { pid, uid } = connection.peer!; // a unix:// server
   *   console.log(`client pid ${pid} uid ${uid}`);
   * }
   * ```
   */
  get peer(): PeerCredentials | undefined {
    return peerOf(this.connectionInfo);
  }

  /** Whether the channel is open and connected right now (a reconnecting client is not). */
  get connected(): boolean {
    return this.closing === undefined && !this.down;
  }

  /** Whether `close()` was called, or the connection ended for good. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Requests this side is handling right now (a request counts until its reply is written). */
  get activeRequests(): number {
    return this.inflight;
  }

  /**
   * Bytes sent on this connection that the peer has not read yet and that are still held in this
   * process (the socket's `writableLength`; what the kernel's socket buffer holds is not counted).
   * 0 while disconnected. See `maxUnwrittenBytes`.
   */
  get unwrittenBytes(): number {
    const out = this.output;
    return out === undefined || this.link === undefined ? 0 : out.writableLength;
  }

  /** {@inheritDoc @ipc/core#Sender.send} While a reconnecting client is disconnected, see `reconnect.whileDisconnected`. */
  send(message: Out, options?: SendOptions): Promise<void> {
    if (this.closing) return Promise.reject(new IpcError('ERR_CLOSED', 'the connection is closed'));
    const link = this.link;
    if (link === undefined) return this.sendWhileDown(message, options);
    if (this.disconnected === undefined) return link.send(message, options);
    return link.send(message, options).catch((err: unknown) => {
      // The link died under us but the client reconnects: this message was not accepted, so retry it.
      if (
        isIpcError(err, 'ERR_PEER_GONE') &&
        this.closing === undefined &&
        (this.down || this.link !== link)
      ) {
        return this.send(message, options);
      }
      throw err;
    });
  }

  /** {@inheritDoc @ipc/core#Receiver.recv} */
  recv(options?: RecvOptions): Promise<In> {
    return this.inbox.recv(options);
  }

  /**
   * Receives the next message's bytes into `buffer` at `offset` and resolves with their count, like
   * Python's `Connection.recv_bytes_into` (see `StreamReceiver.recvInto` in @ipc/core): one buffer for
   * a stream of big messages, read straight into by the kernel when this is the only receive waiting,
   * it has no `timeout` or `signal`, and the connection has no request handler. Needs a connection
   * with the `raw` codec and no `validate` (`ERR_UNSUPPORTED`); a message longer than the room rejects
   * with `ERR_BUFFER_TOO_SMALL` and stays queued.
   */
  recvInto(buffer: Uint8Array, offset = 0, options: RecvOptions = {}): Promise<number> {
    return receiveInto(this.inbox, this.offerInto, this.recvIntoUnsupported, buffer, offset, options);
  }

  // The pump forwards the link's messages here in order: a message the link reads into `target`
  // reaches this inbox next, untouched (raw bytes are never request envelopes).
  private readonly offerInto = (target: Uint8Array): boolean =>
    this.handler === undefined && this.link !== undefined && this.link.receiver.offerInto(target);

  /**
   * Sends a request and waits for its reply. Many may be in flight; replies are matched by id.
   * Rejects with `ERR_REMOTE` when the handler threw (message and `cause.code` from the remote),
   * `ERR_TIMEOUT`/`ERR_ABORTED` per the options (the handler's `ctx.signal` then fires),
   * `ERR_PEER_GONE` when the connection is lost before the reply, `ERR_CLOSED` after `close()`.
   */
  request<Res = In, Req = Out>(body: Req, options: RequestOptions = {}): Promise<Res> {
    if (this.closing) return Promise.reject(new IpcError('ERR_CLOSED', 'the connection is closed'));
    const id = ++this.nextId;
    return waitWith<Res>(options, (resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ $rpc: 'req', id, body } as Out).catch((err: unknown) => {
        if (this.pending.delete(id)) reject(err);
      });
      return () => {
        if (this.pending.delete(id) && this.link !== undefined && !this.down) {
          this.link.send({ $rpc: 'cancel', id }).catch(() => undefined);
        }
      };
    });
  }

  /**
   * Sets (or with `undefined` removes) the handler of this connection's requests. While a handler is
   * set, ordinary messages go to it too (as one-way messages, `ctx.id` undefined), not to `recv`.
   */
  handle<Req = In, Res = Out>(handler: RequestHandler<Req, Res> | undefined): void {
    this.handler = handler as RequestHandler<any, any> | undefined;
  }

  /** Resolves once no request is being handled (or at once). Used by the server's graceful close. */
  whenIdle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Flushes what was sent and closes the connection. Pending requests reject with `ERR_CLOSED`,
   * running handlers see `ctx.signal` fire. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shut();
    return this.closing;
  }

  /** Closes (see {@link SocketChannel.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Iterates ordinary incoming messages until the peer ends or the channel closes. */
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return this.inbox[Symbol.asyncIterator]();
  }

  /** @internal A new link (first connection or a reconnect), and the socket it writes to. */
  attach(link: StreamChannel<unknown, unknown>, info: ConnectionInfo, output?: Writable): void {
    this.link = link;
    this.output = output;
    this.recvIntoUnsupported = link.receiver.recvIntoUnsupported;
    this.connectionInfo = info;
    this.down = false;
    for (const waiting of this.waitingSends.drain()) {
      link.send(waiting.message).then(waiting.resolve, waiting.reject);
    }
    void this.pump(link);
  }

  /** @internal Ends the channel for good after its link was lost (no reconnect, or reconnect gave up). */
  terminate(error: IpcError | undefined): void {
    if (this.closing) return;
    const lost = error ?? new IpcError('ERR_PEER_GONE', 'the connection was lost');
    this.down = false;
    this.failWaiting(lost);
    if (error === undefined) this.inbox.end(new IpcError('ERR_CLOSED', 'the peer ended the connection'));
    else this.inbox.fail(error);
    this.abortRunning(lost);
    this.closing = this.link?.close().catch(() => undefined) ?? Promise.resolve();
    this.owner.closed(this);
  }

  private async pump(link: StreamChannel<unknown, unknown>): Promise<void> {
    // Start after the caller has finished setting the channel up (the server gives it the request
    // handler right after constructing it): messages the link already holds are taken synchronously.
    await Promise.resolve();
    if (this.link !== link || this.closing) return;
    let last: unknown;
    for (;;) {
      while (
        (this.full && this.handler === undefined) ||
        this.inflight >= this.settings.maxConcurrentRequests ||
        this.repliesBlocked()
      ) {
        await new Promise<void>((resolve) => {
          this.resumePump = resolve;
          this.wakeOnDrain();
        });
        if (this.link !== link || this.closing) return;
      }
      let message: unknown;
      try {
        // Messages already decoded are taken at once; a promise only when the link has none.
        const ready = link.receiver.poll();
        message = ready !== undefined ? ready.value : await link.recv();
      } catch (err) {
        if (this.link !== link || this.closing) return;
        const failure = toIpcError(err, 'ERR_PEER_GONE');
        if ((failure.code === 'ERR_DECODE' || failure.code === 'ERR_INVALID_MESSAGE') && err !== last) {
          last = err; // one bad message; a failed stream repeats the same error object
          if (this.handler === undefined) this.inbox.pushError(failure);
          else this.owner.report(failure, 'decode', this);
          continue;
        }
        this.lose(failure.code === 'ERR_CLOSED' ? undefined : failure);
        return;
      }
      this.dispatch(message);
    }
  }

  /** The peer refused the whole connection (an error envelope with id 0): fail everything, no reconnect. */
  private refused(info: RemoteErrorInfo): void {
    this.fail(refusedError(info));
  }

  /** @internal Fails everything with `error` and ends the channel for good (no reconnect). */
  fail(error: IpcError): void {
    this.rejectPending(error);
    this.terminate(error);
  }

  private lose(error: IpcError | undefined): void {
    this.rejectPending(
      new IpcError('ERR_PEER_GONE', 'the connection was lost before the reply came', { cause: error }),
    );
    if (this.owner.linkLost(this, error)) {
      this.down = true;
      this.link = undefined;
      return;
    }
    this.terminate(error);
  }

  private dispatch(message: unknown): void {
    if (isEnvelope(message)) {
      const envelope = message;
      switch (envelope.$rpc) {
        case 'res': {
          const p = this.pending.get(envelope.id);
          if (p) {
            this.pending.delete(envelope.id);
            p.resolve(envelope.body);
          }
          return;
        }
        case 'err': {
          if (envelope.id === REFUSED_ID) {
            this.refused(envelope.error);
            return;
          }
          const p = this.pending.get(envelope.id);
          if (p) {
            this.pending.delete(envelope.id);
            p.reject(remoteError(envelope.error));
          }
          return;
        }
        case 'req':
          this.run(envelope.id, envelope.body);
          return;
        case 'cancel':
          this.running
            .get(envelope.id)
            ?.abort(new IpcError('ERR_ABORTED', 'the caller cancelled the request'));
          return;
      }
    }
    if (this.handler !== undefined) this.run(undefined, message);
    else this.inbox.push(message as In, sizeOf(message));
  }

  private run(id: number | undefined, body: unknown): void {
    const handler = this.handler;
    if (handler === undefined) {
      void this.reply(
        errorEnvelope(id as number, new IpcError('ERR_UNSUPPORTED', 'no request handler on this connection')),
      );
      return;
    }
    const controller = new AbortController();
    if (id !== undefined) this.running.set(id, controller);
    this.inflight++;
    const ctx = new HandlerContext(id, controller.signal, this as SocketChannel<any, any>);
    // A request counts against maxConcurrentRequests until its reply is written (not merely computed):
    // a client that never reads its replies then stops this connection's reading, not fills memory.
    new Promise((resolve) => resolve(handler(body, ctx)))
      .then(
        (result) => {
          if (id !== undefined && !controller.signal.aborted)
            return this.reply({ $rpc: 'res', id, body: result });
          return undefined;
        },
        (err: unknown) => {
          if (id === undefined)
            this.owner.report(
              toIpcError(err, 'ERR_REMOTE', 'one-way message handler failed'),
              'handler',
              this,
            );
          else if (!(controller.signal.aborted && isAbortLike(err)))
            return this.reply(errorEnvelope(id, err));
          return undefined;
        },
      )
      .finally(() => {
        if (id !== undefined) this.running.delete(id);
        this.inflight--;
        if (this.inflight < this.settings.maxConcurrentRequests) this.wake();
        if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
      })
      .catch(() => undefined);
  }

  /** Sends a reply; resolves (never rejects) once the link took it or failed it (reported). */
  private reply(envelope: Envelope): Promise<void> {
    const link = this.link;
    if (link === undefined || this.down) return Promise.resolve();
    this.unsentReplies++;
    return link
      .send(envelope)
      .catch((err: unknown) => {
        this.owner.report(
          toIpcError(err, 'ERR_PEER_GONE', `could not send reply ${envelope.id}`),
          'reply',
          this,
        );
      })
      .finally(() => {
        this.unsentReplies--;
        if (this.unsentReplies === 0) this.wake();
      });
  }

  /**
   * Whether reading must wait for the peer to read what was written to it: a reply is waiting for
   * room, or (with a request handler) the socket holds `maxUnwrittenBytes` or more unwritten.
   */
  private repliesBlocked(): boolean {
    if (this.unsentReplies > 0) return true;
    const out = this.output;
    if (out === undefined || out.destroyed || this.handler === undefined) return false;
    return out.writableLength >= this.settings.maxUnwrittenBytes;
  }

  /** While the pump waits on a full socket, its `drain` (or `close`) wakes it. */
  private wakeOnDrain(): void {
    const out = this.output;
    if (out === undefined || this.watchingDrain || this.unsentReplies > 0 || !this.repliesBlocked()) return;
    this.watchingDrain = true;
    const wake = (): void => {
      out.off('drain', wake);
      out.off('close', wake);
      this.watchingDrain = false;
      this.wake();
    };
    out.on('drain', wake);
    out.on('close', wake);
  }

  private sendWhileDown(message: Out, options: SendOptions | undefined): Promise<void> {
    const policy = this.disconnected;
    if (policy === undefined || policy.mode === 'fail') {
      return Promise.reject(
        new IpcError('ERR_PEER_GONE', 'disconnected (reconnecting); whileDisconnected is "fail"'),
      );
    }
    if (this.waitingSends.length >= policy.limit) {
      return Promise.reject(
        new IpcError(
          'ERR_PEER_GONE',
          `disconnected and ${policy.limit} sends already wait for the reconnect`,
        ),
      );
    }
    return waitWith<void>({ signal: options?.signal }, (resolve, reject) => {
      const entry: WaitingSend = { message, resolve, reject };
      this.waitingSends.push(entry);
      return () => this.waitingSends.remove(entry);
    });
  }

  private async shut(): Promise<void> {
    const closed = new IpcError('ERR_CLOSED', 'the connection is closed');
    this.failWaiting(closed);
    this.rejectPending(closed);
    this.abortRunning(closed);
    this.inbox.close();
    this.wake();
    this.owner.closed(this);
    await this.link?.close().catch(() => undefined);
  }

  private wake(): void {
    const resume = this.resumePump;
    this.resumePump = undefined;
    resume?.();
  }

  private rejectPending(error: IpcError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private abortRunning(reason: IpcError): void {
    for (const c of this.running.values()) c.abort(reason);
  }

  private failWaiting(error: IpcError): void {
    for (const w of this.waitingSends.drain()) w.reject(error);
  }
}

/** A handler's {@link RequestContext}: `peer` is a prototype getter, so no closure per request. */
class HandlerContext implements RequestContext {
  constructor(
    readonly id: number | undefined,
    readonly signal: AbortSignal,
    readonly connection: SocketChannel<any, any>,
  ) {}

  get peer(): PeerCredentials | undefined {
    return this.connection.peer;
  }
}

function sizeOf(message: unknown): number {
  if (message instanceof Uint8Array) return message.byteLength;
  if (typeof message === 'string') return message.length;
  return 0;
}

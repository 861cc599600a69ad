import {
  IpcError,
  isIpcError,
  toIpcError,
  waitWith,
  type Channel,
  type RecvOptions,
  type SendOptions,
} from '@ipc/core';
import { Inbox, receiveInto, type StreamReceiver } from '@ipc/kit';
import type { ChannelOwner, SocketChannelSettings } from './channel-owner.js';
import type { ConnectionInfo } from './connection-info.js';
import { LinkSessions } from './link-sessions.js';
import { ReceivePump, type PumpHost } from './receive-pump.js';
import { peerOf, type PeerCredentials } from './peer-credentials.js';
import type { DisconnectedPolicy } from './reconnect-options.js';
import { ReplyBackpressure } from './reply-backpressure.js';
import type { Envelope } from './request-envelope.js';
import type { RequestOptions } from './request-handler.js';
import { RequestReply } from './request-reply.js';
import { SendsWhileDown } from './sends-while-down.js';
import type { SocketLink } from './socket-link.js';

export type { ChannelOwner, ErrorPhase, SocketChannelSettings } from './channel-owner.js';
export type { ConnectionInfo } from './connection-info.js';
export type { SocketLink } from './socket-link.js';
export type { RequestOptions } from './request-handler.js';

const LOCAL_HIGH_WATER_MESSAGES = 64;

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
  private readonly links: LinkSessions;
  private readonly inbox: Inbox<In>;
  private readonly requests: RequestReply<SocketChannel<any, any>>;
  private readonly replies: ReplyBackpressure;
  private readonly pump: ReceivePump;
  private readonly whileDown: SendsWhileDown;
  private full = false;
  private closing: Promise<void> | undefined;
  private down = false;
  private connectionInfo: ConnectionInfo;

  /**
   * @internal Made by `listen` and `connect`.
   *
   * @param receiver - reads every connection of the channel, one after the other (made without a
   *   readable; with `sessions: true` when the channel reconnects)
   * @param link - the first connection, attached to `receiver` here
   */
  constructor(
    private readonly receiver: StreamReceiver<unknown>,
    link: SocketLink,
    info: ConnectionInfo,
    private readonly owner: ChannelOwner<SocketChannel<any, any>>,
    private readonly settings: SocketChannelSettings,
    disconnected: DisconnectedPolicy | undefined,
  ) {
    this.connectionInfo = info;
    this.whileDown = new SendsWhileDown(disconnected);
    this.pump = new ReceivePump(this.pumpHost());
    this.links = new LinkSessions(receiver, {
      idle: () => this.pump.idle,
      open: () => this.closing === undefined,
      ended: (error) => this.lose(error),
    });
    const wake = (): void => this.pump.wake();
    this.replies = new ReplyBackpressure(settings.maxUnwrittenBytes, wake);
    this.requests = new RequestReply({
      channel: this as SocketChannel<any, any>,
      reply: (envelope) => this.reply(envelope),
      handlerFailed: (error) => this.owner.report(error, 'handler', this),
      refused: (error) => this.fail(error),
      finished: (active) => {
        if (active < settings.maxConcurrentRequests) wake();
      },
    });
    this.inbox = new Inbox<In>({
      highWaterMessages: Math.min(LOCAL_HIGH_WATER_MESSAGES, settings.highWaterMessages),
      highWaterBytes: settings.highWaterBytes,
      onFull: () => {
        this.full = true;
      },
      onRoom: () => {
        this.full = false;
        wake();
      },
    });
    this.use(link, info);
    void this.pump.run(receiver);
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
    return this.requests.active;
  }

  /**
   * Bytes sent on this connection that the peer has not read yet and that are still held in this
   * process (the socket's `writableLength`; what the kernel's socket buffer holds is not counted).
   * 0 while disconnected. See `maxUnwrittenBytes`.
   */
  get unwrittenBytes(): number {
    return this.link === undefined ? 0 : this.replies.unwrittenBytes;
  }

  /** {@inheritDoc @ipc/core#Sender.send} While a reconnecting client is disconnected, see `reconnect.whileDisconnected`. */
  send(message: Out, options?: SendOptions): Promise<void> {
    if (this.closing) return Promise.reject(new IpcError('ERR_CLOSED', 'the connection is closed'));
    const link = this.link;
    if (link === undefined) return this.whileDown.wait(message, options);
    if (!this.whileDown.reconnects) return link.sender.send(message, options);
    return link.sender.send(message, options).catch((err: unknown) => {
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
   * Python's `Connection.recv_bytes_into` (see `StreamReceiver.recvInto` in @ipc/kit): one buffer for
   * a stream of big messages, read straight into by the kernel when this is the only receive waiting,
   * it has no `timeout` or `signal`, and the connection has no request handler. Needs a connection
   * with the `raw` codec and no `validate` (`ERR_UNSUPPORTED`); a message longer than the room rejects
   * with `ERR_BUFFER_TOO_SMALL` and stays queued.
   */
  recvInto(buffer: Uint8Array, offset = 0, options: RecvOptions = {}): Promise<number> {
    return receiveInto(
      this.inbox,
      this.offerInto,
      this.receiver.recvIntoUnsupported,
      buffer,
      offset,
      options,
    );
  }

  // The pump forwards the receiver's messages here in order: a message the receiver reads into
  // `target` reaches this inbox next, untouched (raw bytes are never request envelopes).
  private readonly offerInto = (target: Uint8Array): boolean =>
    this.requests.handler === undefined && this.link !== undefined && this.receiver.offerInto(target);

  /**
   * Sends a request and waits for its reply. Many may be in flight; replies are matched by id.
   * Rejects with `ERR_REMOTE` when the handler threw (message and `cause.code` from the remote),
   * `ERR_TIMEOUT`/`ERR_ABORTED` per the options (the handler's `ctx.signal` then fires),
   * `ERR_PEER_GONE` when the connection is lost before the reply, `ERR_CLOSED` after `close()`.
   */
  request<Res = In, Req = Out>(body: Req, options: RequestOptions = {}): Promise<Res> {
    if (this.closing) return Promise.reject(new IpcError('ERR_CLOSED', 'the connection is closed'));
    return waitWith<Res>(options, (resolve, reject) => {
      const id = this.requests.open(resolve as (v: unknown) => void, reject);
      this.send({ $rpc: 'req', id, body } as Out).catch((err: unknown) => {
        if (this.requests.forget(id)) reject(err);
      });
      return () => {
        if (this.requests.forget(id) && this.link !== undefined && !this.down) {
          this.link.sender.send({ $rpc: 'cancel', id }).catch(() => undefined);
        }
      };
    });
  }

  /**
   * Sets (or with `undefined` removes) the handler of this connection's requests. While a handler is
   * set, ordinary messages go to it too (as one-way messages, `ctx.id` undefined), not to `recv`.
   */
  handle<Req = In, Res = Out>(handler: RequestHandler<Req, Res> | undefined): void {
    this.requests.handler = handler as RequestHandler<any, any> | undefined;
  }

  /** Resolves once no request is being handled (or at once). Used by the server's graceful close. */
  whenIdle(): Promise<void> {
    return this.requests.whenIdle();
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

  /**
   * @internal A reconnecting client's new connection: its socket is read by the channel's receiver
   * once that is done with the one before; sends that waited go out on it. Resolves once attached;
   * a channel closed meanwhile destroys the socket instead.
   */
  async attach(link: SocketLink, info: ConnectionInfo): Promise<void> {
    await this.links.previousRead();
    if (this.closing !== undefined) {
      link.socket.destroy();
      return;
    }
    this.use(link, info);
  }

  /** @internal Ends the channel for good after its link was lost (no reconnect, or reconnect gave up). */
  terminate(error: IpcError | undefined): void {
    if (this.closing) return;
    const lost = error ?? new IpcError('ERR_PEER_GONE', 'the connection was lost');
    this.down = false;
    this.whileDown.fail(lost);
    if (error === undefined) this.inbox.end(new IpcError('ERR_CLOSED', 'the peer ended the connection'));
    else this.inbox.fail(error);
    this.requests.abortRunning(lost);
    this.closing = this.links.close();
    this.owner.closed(this);
  }

  /** @internal Fails everything with `error` and ends the channel for good (no reconnect). */
  fail(error: IpcError): void {
    this.requests.rejectPending(error);
    this.terminate(error);
  }

  /** The current link, `undefined` while a reconnecting client is disconnected. */
  private get link(): SocketLink | undefined {
    return this.links.current;
  }

  /** Reads `link` with the receiver from now on, and sends on it. */
  private use(link: SocketLink, info: ConnectionInfo): void {
    this.links.start(link);
    this.replies.watch(link.socket);
    this.connectionInfo = info;
    this.down = false;
    this.whileDown.flush(link.sender);
  }

  /** What the pump sees of this channel. */
  private pumpHost(): PumpHost {
    return {
      open: () => this.closing === undefined,
      mustWait: () =>
        (this.full && this.requests.handler === undefined) ||
        this.requests.active >= this.settings.maxConcurrentRequests ||
        this.replies.blocked(this.requests.handler !== undefined),
      waiting: () => this.replies.wakeOnDrain(this.requests.handler !== undefined),
      drained: () => this.links.drained(),
      take: (message) => {
        if (!this.requests.take(message)) this.inbox.push(message as In, sizeOf(message));
      },
      badMessage: (error) => {
        if (this.requests.handler === undefined) this.inbox.pushError(error);
        else this.owner.report(error, 'decode', this);
      },
      lost: (error) => this.lose(error),
    };
  }

  private lose(error: IpcError | undefined): void {
    this.requests.rejectPending(
      new IpcError('ERR_PEER_GONE', 'the connection was lost before the reply came', { cause: error }),
    );
    if (this.owner.linkLost(this, error)) {
      this.down = true;
      this.links.drop();
      return;
    }
    this.terminate(error);
  }

  /** Sends a reply; resolves (never rejects) once the link took it or failed it (reported). */
  private reply(envelope: Envelope): Promise<void> {
    const link = this.link;
    if (link === undefined || this.down) return Promise.resolve();
    const sending = link.sender.send(envelope).catch((err: unknown) => {
      this.owner.report(
        toIpcError(err, 'ERR_PEER_GONE', `could not send reply ${envelope.id}`),
        'reply',
        this,
      );
    });
    return this.replies.track(sending);
  }

  private async shut(): Promise<void> {
    const closed = new IpcError('ERR_CLOSED', 'the connection is closed');
    this.whileDown.fail(closed);
    this.requests.rejectPending(closed);
    this.requests.abortRunning(closed);
    this.inbox.close();
    this.pump.wake();
    this.owner.closed(this);
    await this.links.close();
  }
}

function sizeOf(message: unknown): number {
  if (message instanceof Uint8Array) return message.byteLength;
  if (typeof message === 'string') return message.length;
  return 0;
}

import { rmSync } from 'node:fs';
import { compileValidator, IpcError, resolveCodec, type Codec, type RecvOptions } from '@ipc/core';
import { asBuffer } from '@ipc/core';
import { Inbox } from '@ipc/kit';
import type * as zmq from 'zeromq';
import { attach } from './zmq-endpoint.js';
import { applyHighWaterMarks, SEND_SLICE_MS, ZMQ_DEFAULTS, type ZmqOptions } from './zmq-options.js';
import { ZmqConnectionTally } from './zmq-connection-tally.js';
import { confirmEnd, ZmqEndAckListener, type EndAckBinding } from './zmq-end-ack.js';
import { fromZmqError, receiveSkippingSpurious } from './zmq-error.js';
import { ZmqReceivePump } from './zmq-receive-pump.js';
import { ZmqSendQueue, type ZmqSendOptions } from './zmq-send-queue.js';
import { endAckFrames, endAckRequest, endFrames, wireKind } from './zmq-wire.js';

/** How a link lays out its frames. */
export type FrameLayout = 'plain' | 'routed' | 'topic';

/** The internal configuration of a {@link ZmqLink}. */
export interface LinkConfig<T> {
  socket: zmq.Socket;
  endpoints: string[];
  mode: 'bind' | 'connect';
  options: ZmqOptions<T>;
  writable: boolean;
  readable: boolean;
  layout: FrameLayout;
  /** Send an end-of-stream marker on close. */
  endOnClose: boolean;
  /** End the receiving side after this many end markers (0 = never, markers are dropped). */
  endAfter: number;
  /** PAIR: the peer's end marker also makes later sends fail with `ERR_PEER_GONE`, and so does a disconnect. */
  exclusivePeer: boolean;
  /** PAIR: a `disconnect` without an end marker fails the channel with `ERR_PEER_GONE`. */
  failOnDisconnect: boolean;
  /**
   * PUSH with `endOnClose`: where to listen for the puller's confirmation of the end marker, which
   * `close()` waits for (see zmq-end-ack.ts). Unset: the marker asks for no confirmation.
   */
  endAck?: EndAckBinding | undefined;
  /**
   * PULL: answer the confirmation requests of end markers; with `endAfter`, also fail the stream
   * with `ERR_PEER_GONE` once every pusher has gone and one left without its end marker.
   */
  confirmEnds?: boolean | undefined;
  /**
   * REQ/REP: a receive is legal only in its turn (out of turn it fails with `EFSM`), so the receive
   * pump waits without slices (see {@link ZmqReceivePump}). Their lost wake-ups cannot strand a
   * message: a REQ send waits for room only while no replier is connected (nothing to read then), a
   * REP send never waits.
   */
  lockstep?: boolean | undefined;
}

/**
 * One ZeroMQ socket behind the @ipc contract: an ordered send queue with high-water-mark backpressure,
 * a receive pump into an {@link Inbox} with flow control, end-of-stream markers, and a close that lets
 * accepted messages go out (within `linger`). The public Sender/Receiver/Channel classes wrap it.
 */
export class ZmqLink<Out, In> {
  readonly socket: zmq.Socket;
  private readonly codec: Codec<unknown>;
  private readonly validate: ((value: unknown) => unknown) | undefined;
  private readonly queue: ZmqSendQueue | undefined;
  private readonly inbox: Inbox<In> | undefined;
  private readonly pump: ZmqReceivePump | undefined;
  private closing: Promise<void> | undefined;
  private endsSeen = 0;
  private peerGone = false;
  private onEndAck: (() => void) | undefined;
  private onPeerGone: (() => void) | undefined;
  /** PULL with `endAfter`: the pushers' connections (see {@link onPusherGone}). */
  private readonly tally: ZmqConnectionTally | undefined;

  private constructor(private readonly config: LinkConfig<unknown>) {
    this.socket = config.socket;
    if (config.confirmEnds === true && config.endAfter > 0) this.tally = new ZmqConnectionTally();
    this.codec = resolveCodec(config.options.codec as Codec<unknown> | undefined);
    this.validate =
      config.options.validate === undefined ? undefined : compileValidator(config.options.validate);
    if (config.writable) {
      (this.socket as unknown as zmq.Writable).sendTimeout = SEND_SLICE_MS;
      this.queue = new ZmqSendQueue(this.socket as unknown as zmq.Writable & zmq.Socket);
    }
    if (config.readable) {
      this.inbox = new Inbox<In>({
        highWaterMessages: config.options.highWaterMessages,
        highWaterBytes: config.options.highWaterBytes,
        onFull: () => this.pump?.pause(),
        onRoom: () => this.pump?.resume(),
      });
      this.pump = new ZmqReceivePump(
        this.socket as unknown as zmq.Readable & zmq.Socket,
        (frames) => this.receive(frames),
        (err) => this.inbox?.fail(err),
        config.lockstep !== true,
      );
    }
  }

  /** Makes the socket's link: sets options, binds or connects, starts reading. */
  static async open<Out, In>(config: LinkConfig<any>): Promise<ZmqLink<Out, In>> {
    applyHighWaterMarks(config.socket, config.options);
    const link = new ZmqLink<Out, In>(config);
    if (config.failOnDisconnect || link.tally !== undefined) {
      void link.watchDisconnects(config.socket.events);
    }
    await attach(config.socket, config.endpoints, config.mode);
    link.pump?.resume();
    return link;
  }

  /** Encodes and queues one message (see {@link ZmqSendQueue}). */
  send(message: Out, options?: ZmqSendOptions): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(new IpcError('ERR_CLOSED', 'the socket is closed'));
    if (this.peerGone && this.config.exclusivePeer) {
      return Promise.reject(new IpcError('ERR_PEER_GONE', 'the peer closed the channel'));
    }
    if (this.queue === undefined) {
      return Promise.reject(new IpcError('ERR_UNSUPPORTED', 'this socket type cannot send'));
    }
    let frames: Buffer | Buffer[];
    try {
      frames = this.frame(message);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.queue.send(frames, options);
  }

  /** Queues frames as they are (no codec). */
  sendFrames(frames: Buffer | Buffer[], options?: ZmqSendOptions): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(new IpcError('ERR_CLOSED', 'the socket is closed'));
    return (this.queue as ZmqSendQueue).send(frames, options);
  }

  /** Receives the next message. */
  recv(options?: RecvOptions): Promise<In> {
    if (this.inbox === undefined) {
      return Promise.reject(new IpcError('ERR_UNSUPPORTED', 'this socket type cannot receive'));
    }
    return this.inbox.recv(options);
  }

  /** Drops every message received so far and not yet read (a request socket before a new request). */
  discardBuffered(): void {
    const inbox = this.inbox as Inbox<In>;
    while (inbox.size > 0) inbox.recv().catch(() => undefined);
  }

  /** Iterates received messages. */
  iterate(): AsyncIterator<In> {
    return (this.inbox as Inbox<In>)[Symbol.asyncIterator]();
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Lets queued sends go out (within `linger`), sends the end marker if configured, closes. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private frame(message: Out): Buffer | Buffer[] {
    switch (this.config.layout) {
      case 'plain':
        return asBuffer(this.codec.encode(message));
      case 'routed': {
        const m = message as { peer?: unknown; message: unknown } | null;
        if (m === null || typeof m !== 'object' || !(m.peer instanceof Uint8Array)) {
          throw new IpcError('ERR_INVALID_ARGUMENT', 'a router sends { peer: Uint8Array, message }');
        }
        return [asBuffer(m.peer), asBuffer(this.codec.encode(m.message))];
      }
      case 'topic': {
        const m = message as { topic?: unknown; message: unknown } | null;
        if (m === null || typeof m !== 'object' || typeof m.topic !== 'string') {
          throw new IpcError('ERR_INVALID_ARGUMENT', 'a publisher sends { topic: string, message }');
        }
        return [Buffer.from(m.topic), asBuffer(this.codec.encode(m.message))];
      }
    }
  }

  private decode(payload: Buffer): unknown {
    const value = this.codec.decode(payload);
    return this.validate === undefined ? value : this.validate(value);
  }

  private receive(frames: Buffer[]): void {
    const inbox = this.inbox as Inbox<In>;
    const layout = this.config.layout;
    let bytes = 0;
    try {
      if (layout === 'plain') {
        const kind = wireKind(frames);
        if (kind === 'data') {
          const payload = frames[0] as Buffer;
          bytes = payload.length;
          inbox.push(this.decode(payload) as In, bytes);
        } else if (kind === 'end') {
          this.onEnd(frames);
        } else if (kind === 'end-ack') {
          this.onEndAck?.();
        } else if (kind === 'error') {
          inbox.pushError(new IpcError('ERR_REMOTE', frames[2]?.toString() ?? 'the peer failed'));
        }
        return;
      }
      const [head, payload] = frames;
      if (frames.length !== 2 || head === undefined || payload === undefined) return; // not ours: dropped
      bytes = payload.length;
      const message = this.decode(payload);
      inbox.push(
        (layout === 'routed' ? { peer: head, message } : { topic: head.toString(), message }) as In,
        bytes,
      );
    } catch (err) {
      inbox.pushError(err, bytes);
    }
  }

  private onEnd(frames: Buffer[]): void {
    if (this.config.confirmEnds === true) {
      // Everything the pusher sent before the marker has been read: tell it, so it can hang up.
      const request = endAckRequest(frames);
      if (request !== undefined) confirmEnd(request, this.config.endpoints);
    }
    if (this.config.endAfter <= 0) return;
    this.endsSeen++;
    if (this.endsSeen < this.config.endAfter) return;
    this.inbox?.end(new IpcError('ERR_CLOSED', 'the peer ended the stream'));
    if (this.config.exclusivePeer && this.queue !== undefined) {
      // Tell the closing peer that everything it sent was read, so it can close its socket without
      // losing the tail (libzmq can drop it when a peer disconnects while our queue is full).
      this.peerGone = true;
      const queue = this.queue;
      void queue.send(endAckFrames(), { timeout: 1000 }).then(
        () => queue.fail(new IpcError('ERR_PEER_GONE', 'the peer closed the channel')),
        () => queue.fail(new IpcError('ERR_PEER_GONE', 'the peer closed the channel')),
      );
    }
  }

  /** Reads the socket's monitor events (our own loop: zeromq.js' `events.on` keeps a module-global emitter). */
  private async watchDisconnects(observer: zmq.Observer): Promise<void> {
    while (!observer.closed) {
      let event: zmq.Event;
      try {
        // A spurious EAGAIN must not end this loop, or a disconnect would go unnoticed for good.
        event = await receiveSkippingSpurious(
          () => observer.receive(),
          () => observer.closed,
        );
      } catch {
        return; // the observer closed with its socket
      }
      const disconnect = this.tally === undefined ? event.type === 'disconnect' : this.tally.count(event);
      if (!disconnect) continue;
      if (this.tally !== undefined) this.onPusherGone();
      else this.onDisconnect();
    }
  }

  private onDisconnect(): void {
    this.onPeerGone?.();
    if (this.peerGone || this.closing !== undefined) return;
    this.peerGone = true;
    // Messages the peer sent before it went may still sit in ZeroMQ's queue: read them first.
    const settle = (): void => {
      if (this.closing !== undefined) return;
      if (this.socket.readable || (this.inbox?.size ?? 0) > 0) {
        setTimeout(settle, 5);
        return;
      }
      const gone = new IpcError('ERR_PEER_GONE', 'the peer disconnected');
      this.inbox?.fail(gone);
      this.queue?.fail(gone);
    };
    setTimeout(settle, 5);
  }

  /**
   * PULL with `endAfter`: a pusher's connection went. Once every pusher has gone and fewer end
   * markers came than pushers left (one crashed, or closed without its marker arriving — see
   * zmq-end-ack.ts), the stream can never end: after what was received has been read, it fails with
   * `ERR_PEER_GONE` instead of waiting for good.
   */
  private onPusherGone(): void {
    const tally = this.tally as ZmqConnectionTally;
    const check = (): void => {
      if (this.closing !== undefined || this.endsSeen >= this.config.endAfter) return;
      if (tally.live > 0 || tally.gone <= this.endsSeen) return; // a later disconnect checks again
      if (this.socket.readable) {
        setTimeout(check, 5); // messages still in ZeroMQ's queue: read them first
        return;
      }
      const missing = tally.gone - this.endsSeen;
      this.inbox?.fail(
        new IpcError(
          'ERR_PEER_GONE',
          `${missing} pusher(s) disconnected without an end-of-stream marker ` +
            `(${this.endsSeen} of ${this.config.endAfter} received); their last messages may be lost`,
        ),
      );
    };
    setTimeout(check, 5);
  }

  /**
   * PUSH with `endOnClose` (not PAIR): sends the end marker with a confirmation request and waits
   * (within `linger`) for the puller to confirm it has read everything; only then may the connection
   * close (see zmq-end-ack.ts). Returns the error `close()` rejects with when it cannot confirm.
   */
  private async endPipeline(
    binding: EndAckBinding,
    linger: number,
    deadline: number,
  ): Promise<IpcError | undefined> {
    const queue = this.queue as ZmqSendQueue;
    const left = (): number => (linger < 0 ? -1 : Math.max(0, deadline - Date.now()));
    const unconfirmed = queue.accepted;
    let listener: ZmqEndAckListener;
    try {
      listener = await ZmqEndAckListener.open(binding);
    } catch (err) {
      return fromZmqError(err, 'close: cannot listen for the end confirmation');
    }
    try {
      const sent = await queue.send(endFrames(listener.request), linger < 0 ? {} : { timeout: left() }).then(
        () => true,
        () => false,
      );
      if (sent && (await listener.wait(left()))) return undefined;
    } catch (err) {
      return fromZmqError(err, 'close: waiting for the end confirmation');
    } finally {
      listener.close();
    }
    return new IpcError(
      'ERR_TIMEOUT',
      `close: the puller did not confirm the end of the stream within linger (${linger} ms); ` +
        `up to ${unconfirmed} message(s) sent may not have been read`,
    );
  }

  private async shutdown(): Promise<void> {
    const linger = this.config.options.linger ?? ZMQ_DEFAULTS.linger;
    const deadline = Date.now() + linger;
    let failure: IpcError | undefined;
    if (this.queue !== undefined) {
      await this.queue.drained(linger);
      if (this.config.endOnClose && this.config.endAck !== undefined && this.queue.accepted > 0) {
        // (Nothing sent: nothing to confirm. The marker alone cannot be dropped, a connection's
        // engine only stops reading when its own queue is full.)
        failure = await this.endPipeline(this.config.endAck, linger, deadline);
      } else if (this.config.endOnClose && !this.peerGone) {
        const acked = this.config.exclusivePeer
          ? new Promise<void>((resolve) => (this.onEndAck = resolve))
          : undefined;
        const sent = await this.queue.send(endFrames(), linger < 0 ? {} : { timeout: linger }).then(
          () => true,
          () => false,
        );
        if (sent && acked !== undefined && !this.peerGone) {
          // Wait (within linger) until the peer has read everything: see onEnd.
          let timer: NodeJS.Timeout | undefined;
          const gone = new Promise<void>((resolve) => {
            this.onPeerGone = resolve;
            if (linger >= 0) timer = setTimeout(resolve, linger);
          });
          await Promise.race([acked, gone]);
          clearTimeout(timer);
        }
      }
      this.queue.fail(new IpcError('ERR_CLOSED', 'the socket is closed'));
    }
    this.pump?.stop();
    this.inbox?.close();
    this.socket.close();
    if (this.config.failOnDisconnect || this.tally !== undefined) {
      try {
        this.socket.events.close();
      } catch {
        // already closed with its socket
      }
    }
    if (this.config.mode === 'bind') this.removeSocketFiles();
    if (failure !== undefined) throw failure;
  }

  /**
   * Removes the socket files of bound `ipc://` endpoints (libzmq 4.3 leaves them behind on close).
   * Safe: binding refused the path while another live process listened on it.
   */
  private removeSocketFiles(): void {
    for (const e of this.config.endpoints) {
      if (!e.startsWith('ipc://') || e.startsWith('ipc://@')) continue;
      try {
        rmSync(e.slice('ipc://'.length), { force: true });
      } catch {
        // not ours to remove (permissions): leave it
      }
    }
  }
}

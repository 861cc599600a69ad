/**
 * The adapter contract: what one file in `src/transports/` supplies so that the benchmark can measure
 * a transport (or a rival) on workloads W1–W4. See `tools/bench/ADAPTERS.md` for a worked example.
 *
 * An adapter is transport plumbing only — open/connect, send, recv, close. The workload logic
 * (message shapes, counts, warm-up, clocks, the ready handshake, checks of seq/order/lengths, the
 * completion message, start signal and stop sentinels) lives once in `src/workloads/`.
 *
 * Each file in `src/transports/` exports `cases: BenchCase[]`; the CLI discovers the compiled
 * `dist/transports/*.js` at run time, so adding a file is all it takes.
 */
import type { ChildProcess, StdioNull, StdioPipeNamed } from 'node:child_process';

/** The workloads of SPEC.md. */
export type Workload = 'W1' | 'W2' | 'W3' | 'W4';

/** The two-process workloads, run over a {@link Link}. */
export type LinkWorkload = 'W1' | 'W2' | 'W3';

/** Which values a link carries: plain objects (W1, W2) or byte buffers (W3). */
export type Payload = 'object' | 'bytes';

/** A JSON value (what can travel from the driver to the peer process in {@link CaseContext.info}). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/**
 * Who a case is: `'ipc'` a transport under test; `'node'` a Node built-in (child_process, net — the
 * ratios' reference); `'library'` the library a transport wraps, used directly (raw zeromq, amqplib,
 * better-sqlite3: the wrapper's overhead); `'python'` Python's multiprocessing; `'c'` a C program on
 * the kernel mechanism (the ceiling). A `'node'` case whose name does not start with `node-` is counted
 * as `'library'`.
 */
export type CaseGroup = 'ipc' | 'node' | 'library' | 'python' | 'c';

/**
 * One end of a two-way message link, on the driver side or the peer side (W1–W3). Every `@ipc`
 * `Channel` already is one.
 *
 * With payload `'object'` it carries plain JSON-compatible objects; with `'bytes'` it carries
 * `Uint8Array`s (a `Buffer` is fine) and `recv` must yield each message as one contiguous buffer
 * the receiver may keep.
 */
export interface Link {
  /**
   * Hands one message to the transport (one call per message: no batching in the adapter).
   * Return a promise only when the caller must wait (backpressure); the harness awaits whatever is
   * returned before the next send. Never wait for the peer to acknowledge the message.
   */
  send(message: unknown): void | Promise<void>;
  /** Resolves with the next message, decoded to a native value. Rejects if the link fails or ends. */
  recv(): Promise<unknown>;
  /**
   * Closes this end gracefully (flushing what was sent). On the driver side it must also leave no
   * peer process behind that the adapter started itself (processes from `spawnPeer` the harness reaps).
   */
  close(): Promise<void>;
}

/** What both sides of a W1–W3 case get. */
export interface CaseContext {
  /** The case's name (one adapter file may serve several). */
  readonly caseName: string;
  readonly workload: LinkWorkload;
  readonly payload: Payload;
  /** A fresh private folder (mode 0700) for this case run's sockets/FIFOs/files; removed afterwards. */
  readonly dir: string;
  /** A short token unique to this case run, for names outside `dir` (shm segments, queue names, ports). */
  readonly id: string;
  /** On the peer side: what the driver passed as `info` to `spawnPeer`/`peerArgs`. `{}` on the driver side. */
  readonly info: JsonObject;
}

/** Options of {@link DriverContext.spawnPeer}. */
export interface SpawnPeerOptions {
  /** Handed to the peer side as {@link CaseContext.info} (a socket path, a port, a segment name…). */
  info?: JsonObject;
  /**
   * File descriptors 3, 4, … of the child (fds 0–2 are `'ignore'`, inherited stdout, inherited stderr).
   * Use `'pipe'` for a socketpair the child sees as fd 3 (and `child.stdio[3]` here).
   */
  extraStdio?: (StdioPipeNamed | StdioNull | 'ipc')[];
  /** Adds a Node IPC channel (`process.send` in the peer) with this serialization. */
  serialization?: 'json' | 'advanced';
}

/** The driver side of a W1–W3 case (runs in the measuring process). */
export interface DriverContext extends CaseContext {
  /**
   * Starts the peer process: `node <peer-main.js> <args>` running this case's `peer()` side.
   * The harness reaps it after `close()`.
   */
  spawnPeer(options?: SpawnPeerOptions): ChildProcess;
  /**
   * The `node` argv (`[script, ...args]`) that runs the peer side, for an adapter that must start the
   * process itself (e.g. through its own `spawn` helper): `spawn(process.execPath, ctx.peerArgv(info))`.
   * The adapter then owns that process and must end it in `close()`.
   */
  peerArgv(info?: JsonObject): string[];
}

/**
 * Transport plumbing for W1–W3. The driver opens its end (listen, start the peer, accept/connect)
 * and returns it; the peer process opens the other end. The harness then does the ready handshake
 * (peer → driver), warm-up, the timed loop, the checks and the completion message; setup stays
 * outside the clock.
 */
export interface LinkSides {
  /** In the driver process: start the peer (see {@link DriverContext.spawnPeer}) and return the driver's end. */
  driver(ctx: DriverContext): Promise<Link>;
  /** In the peer process: open the other end. */
  peer(ctx: CaseContext): Promise<Link>;
}

/** What every W4 side gets. */
export interface QueueContext {
  readonly caseName: string;
  readonly workload: 'W4';
  /** A fresh private folder (0700) for this run; removed afterwards. */
  readonly dir: string;
  /** A short token unique to this run (queue / segment names). */
  readonly id: string;
  /** In the children: what the parent returned as {@link QueueParent.info}. */
  readonly info: JsonObject;
  /** Producers and consumers of this run (2 and 2). */
  readonly producers: number;
  readonly consumers: number;
  /** In a child: its role and index (0-based). */
  readonly role?: 'producer' | 'consumer';
  readonly index?: number;
}

/** The parent's handle on the shared queue (W4). */
export interface QueueParent {
  /** Handed to every child as {@link QueueContext.info}. */
  readonly info?: JsonObject;
  /**
   * Called once per child right after it is spawned (only useful with {@link QueueSides.childIpc}:
   * a relay hub listens to `child.on('message')` and forwards with `child.send`).
   */
  attach?(role: 'producer' | 'consumer', index: number, child: ChildProcess): void;
  /**
   * Enqueues one message from the parent: the harness calls it once per consumer with the stop
   * sentinel, after both producers have closed and exited.
   */
  put(message: unknown): void | Promise<void>;
  /** Removes the queue. */
  close(): Promise<void>;
}

/** A producer's handle (W4). */
export interface QueueProducer {
  /** Enqueues one message (one call per message); return a promise only to apply backpressure. */
  put(message: unknown): void | Promise<void>;
  /** Flushes: when it resolves, every message put is in the queue. */
  close(): Promise<void>;
}

/** A consumer's handle (W4). */
export interface QueueConsumer {
  /** Dequeues and decodes the next message. */
  get(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Transport plumbing for W4: one process-safe queue, 2 producer and 2 consumer processes (started by
 * the harness: `node role-main.js`, each opening its side), plus the parent that created the queue.
 */
export interface QueueSides {
  /** In the parent, before any child starts: create the queue. */
  parent(ctx: QueueContext): Promise<QueueParent>;
  producer(ctx: QueueContext): Promise<QueueProducer>;
  consumer(ctx: QueueContext): Promise<QueueConsumer>;
  /** Gives every child a Node IPC channel to the parent with this serialization (for a relay hub). */
  childIpc?: 'json' | 'advanced';
}

/** What an external program (a Python rival) is asked to run. */
export interface ExternalRequest {
  readonly caseName: string;
  readonly workload: Workload;
  /** The counts of this run (full, quick or tiny). */
  readonly counts: Counts;
  readonly dir: string;
  /** Check every message completely (the tour), not only order and a sample. */
  readonly verifyAll: boolean;
}

/**
 * A rival that measures itself in another language. The harness runs the command; the program runs
 * the workload exactly as SPEC.md says, checks the messages, and prints one JSON line last on stdout:
 * `{"ok":true,"median_us":..,"p99_us":..}` (W1), `{"ok":true,"secs":..}` (W2–W4), or
 * `{"ok":false,"error":"..."}`.
 */
export interface ExternalSide {
  command(request: ExternalRequest): { file: string; args: string[] };
}

/** The counts of one run of the workloads (SPEC values in full mode). */
export interface Counts {
  w1Warmup: number;
  w1RoundTrips: number;
  /**
   * W2: messages of an untimed first pass through the same link (ids 0, 1, …), before the timed one —
   * SPEC's setup rule (JIT warm-up outside the clock); 0 runs W2 cold.
   */
  w2Warmup: number;
  w2Messages: number;
  /** W3: buffers of an untimed first pass (see `w2Warmup`). */
  w3Warmup: number;
  w3Buffers: number;
  w3BufferBytes: number;
  /** W4: messages of an untimed first pass through the same queue and processes (see `w2Warmup`). */
  w4Warmup: number;
  w4Messages: number;
}

/** One benchmark case: a named transport (or rival) and how to run it on each workload it supports. */
export interface BenchCase {
  /** Lower-case, kebab: `ipc-socket-unix`, `node-fork-json`, `python-mp-pipe`. */
  readonly name: string;
  /** See {@link CaseGroup}. Only `'node'` cases are the reference of the ratios. */
  readonly group: CaseGroup;
  /** One line for the report (mechanism, options that matter). */
  readonly description: string;
  /** The workloads this case runs. W1–W3 need `link` (or `external`); W4 needs `queue` (or `external`). */
  readonly workloads: readonly Workload[];
  /** The encoding on the wire, by workload: `'JSON (UTF-8), [u32 BE len]'`, `'msgpack'`, `'raw bytes'`. */
  encoding(workload: Workload): string;
  /** Notes shown in the report (e.g. `'relay hub: Node has no shared queue'`, `'zero-copy'`). */
  readonly note?: string;
  /**
   * The fraction (0 < f ≤ 1) of the run's message counts this case sends, by workload — for a durable
   * or broker-backed transport whose rate would make the SPEC counts take minutes (a spool folder with
   * fsync at ~1,000 msgs/s: `{ W2: 0.1, W4: 0.1 }`). Rates stay comparable; the report says so.
   */
  readonly countScale?: Partial<Record<Workload, number>>;
  /**
   * Resolves `undefined` when the case can run here, or a one-line reason why not
   * (`'RabbitMQ not reachable on 127.0.0.1:5672'`, `'@ipc/shm not built'`). Must not throw.
   */
  available?(): Promise<string | undefined>;
  readonly link?: LinkSides;
  readonly queue?: QueueSides;
  readonly external?: ExternalSide;
}

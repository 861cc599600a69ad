// The smoke test a user would run: copied into a fresh project that installed the @ipc tarballs (see
// tools/ci/fresh-project.mjs) and run there with the Node under test. Uses every package across real
// processes and checks every message; prints what passed; exits non-zero on any failure.
//
//   node smoke.mjs [--only pipe,socket,shm,queue,spool,sqlite,zmq,signal,fifo] [--shm-rounds N]
//
// The same file is every child process too (`node smoke.mjs child <role> ...`). Everything it makes
// (sockets, FIFOs, segments, spool folders, databases) lives in one temp folder or under a name with
// this process's pid, and is removed at the end; every child is killed.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SELF = new URL(import.meta.url).pathname;
const PARTS = ['pipe', 'socket', 'shm', 'queue', 'spool', 'sqlite', 'zmq', 'signal', 'fifo'];
const PART_TIMEOUT_MS = Number(process.env.SMOKE_PART_TIMEOUT_MS ?? 120_000);

// ---------------------------------------------------------------------------------------- helpers

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

function sameJson(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e.slice(0, 300)}, got ${a?.slice(0, 300)}`);
}

function isIpcError(err) {
  return err instanceof Error && err.name === 'IpcError' && typeof err.code === 'string';
}

const children = new Set();

/**
 * The command and arguments of `node smoke.mjs child <role> ...args`. SMOKE_CHILD_NODE: the Node
 * binary of the children (default: this one); SMOKE_EXEC_WRAPPER: a command that runs it
 * (qemu-aarch64-static, where binfmt_misc does not run foreign binaries).
 */
function childCommand(role, args) {
  const wrapper = process.env.SMOKE_EXEC_WRAPPER;
  const node = process.env.SMOKE_CHILD_NODE || process.execPath;
  const argv = [SELF, 'child', role, ...args.map(String)];
  return wrapper ? [wrapper, [node, ...argv]] : [node, argv];
}

/** Starts `node smoke.mjs child <role> ...args`; `done` resolves with its exit and output. */
function child(role, args = [], options = {}) {
  const [cmd, cmdArgs] = childCommand(role, args);
  const proc = spawn(cmd, cmdArgs, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const done = new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      children.delete(proc);
      resolve({ code, signal, stdout, stderr });
    });
  });
  /** Resolves with the first stdout line that holds `word`. */
  const line = (word) =>
    new Promise((resolve, reject) => {
      const look = () => {
        const found = stdout.split('\n').find((l) => l.includes(word));
        if (found !== undefined) {
          proc.stdout.off('data', look);
          resolve(found);
        }
      };
      proc.stdout.on('data', look);
      proc.on('close', () => reject(new Error(`child ${role} exited before printing ${word}: ${stderr}`)));
      look();
    });
  return { proc, done, line };
}

/** The child's exit must be 0; returns its stdout's last JSON line. */
async function childResult(c, role) {
  const r = await c.done;
  if (r.code !== 0) throw new Error(`child ${role} exited ${r.code ?? r.signal}: ${r.stderr.trim()}`);
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return lines.length ? JSON.parse(lines[lines.length - 1]) : undefined;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms / 1000} s`)), ms);
    }),
  ]);
}

const range = (n) => Array.from({ length: n }, (_, i) => i);

// ---------------------------------------------------------------------------------------- parts

/** @ipc/pipe: a two-way pipe to a forked child that squares numbers. */
async function pipePart() {
  const { forkChannel } = await import('@ipc/pipe');
  const { channel, exited } = forkChannel(SELF, ['child', 'pipe-square']);
  const sent = range(20).map((i) => i + 1);
  const got = [];
  for (const n of sent) {
    await channel.send(n);
    got.push(await channel.recv({ timeout: 30_000 }));
  }
  await channel.close();
  const exit = await exited;
  sameJson(
    got,
    sent.map((n) => n * n),
    'squares from the child',
  );
  sameJson(exit, { code: 0, signal: null }, 'child exit');
  return `${sent.length} round trips`;
}

/** @ipc/socket: request/reply over a Unix socket to a child, peer credentials on both ends. */
async function socketPart(dir) {
  const { listen } = await import('@ipc/socket');
  const address = `unix://${join(dir, 'smoke.sock')}`;
  const server = await listen(address, { authkey: 'smoke' });
  const peers = [];
  server.handle((req, ctx) => {
    peers.push(ctx.peer);
    return { echo: req, double: req.n * 2 };
  });
  try {
    const c = child('socket-client', [address]);
    const out = await childResult(c, 'socket-client');
    sameJson(
      out.replies,
      range(10).map((n) => ({ echo: { n }, double: n * 2 })),
      'replies',
    );
    check(peers.length === 10, `10 requests seen, got ${peers.length}`);
    for (const p of peers) {
      check(p && p.pid === c.proc.pid, `server sees the client's pid ${c.proc.pid}: ${JSON.stringify(p)}`);
      check(p.uid === process.getuid() && p.gid === process.getgid(), `client uid/gid: ${JSON.stringify(p)}`);
    }
    check(
      out.serverPeer?.pid === process.pid,
      `client sees the server's pid: ${JSON.stringify(out.serverPeer)}`,
    );
    return `10 requests, peer pid/uid/gid on both ends`;
  } finally {
    await server.close();
  }
}

/**
 * @ipc/shm: a counter incremented by two processes under the cross-process lock, and Atomics.add on a
 * shared array from two processes at once. Under qemu-user (SMOKE_EXEC_WRAPPER) the two lock users
 * take turns instead: qemu fakes /proc/self/stat, so the start time an emulated process records for
 * itself differs from the one others read, and the lock's dead-owner recovery would wrongly reclaim
 * its lock (and any process's cleanupStale() would remove a segment an emulated process created, so
 * there the parent should be a native Node: SMOKE_CHILD_NODE).
 */
async function shmPart(_dir, opts) {
  const { SharedArray, Value } = await import('@ipc/shm');
  const name = `ipc-smoke-${process.pid}-counter`;
  const counter = Value.create(name, 'i', 0);
  const slotsName = `ipc-smoke-${process.pid}-slots`;
  const slots = SharedArray.create(slotsName, 'i', 1, { lock: false });
  try {
    const rounds = opts.shmRounds;
    const emulated = Boolean(process.env.SMOKE_EXEC_WRAPPER);
    const seen = [];
    if (emulated) {
      for (let i = 0; i < 2; i++) seen.push(await childResult(child('shm-add', [name, rounds]), 'shm-add'));
    } else {
      const workers = [child('shm-add', [name, rounds]), child('shm-add', [name, rounds])];
      for (const w of workers) seen.push(await childResult(w, 'shm-add'));
    }
    check(counter.value === 2 * rounds, `counter ${counter.value}, expected ${2 * rounds}`);
    const adds = rounds * 20;
    const atomics = [child('shm-atomic-add', [slotsName, adds]), child('shm-atomic-add', [slotsName, adds])];
    for (const w of atomics) await childResult(w, 'shm-atomic-add');
    check(slots.array[0] === 2 * adds, `Atomics.add total ${slots.array[0]}, expected ${2 * adds}`);
    return (
      `2 processes x ${rounds} locked read-modify-writes = ${counter.value}${emulated ? ' (in turn)' : ''}; ` +
      `2 processes x ${adds} Atomics.add at once = ${slots.array[0]}; children: ${seen[0].runs}`
    );
  } finally {
    counter.close();
    slots.close();
  }
}

/** @ipc/queue: two producer and two consumer processes; every message exactly once. */
async function queuePart() {
  const { createQueue } = await import('@ipc/queue');
  const name = `ipc-smoke-${process.pid}-queue`;
  const queue = createQueue(name);
  const perProducer = 200;
  try {
    const consumers = [child('queue-consume', [name]), child('queue-consume', [name])];
    const producers = [0, 1].map((p) => child('queue-produce', [name, p, perProducer]));
    for (const p of producers) await childResult(p, 'queue-produce');
    await queue.put(null);
    await queue.put(null);
    const got = [];
    for (const c of consumers) got.push(...(await childResult(c, 'queue-consume')));
    const expected = [0, 1].flatMap((p) => range(perProducer).map((i) => `${p}:${i}`));
    sameJson([...got].sort(), [...expected].sort(), 'messages from both producers, each exactly once');
    return `${got.length} messages, 2 producers -> 2 consumers`;
  } finally {
    await queue.close();
  }
}

/** @ipc/file: a spool folder filled by a child, drained and acknowledged here. */
async function spoolPart(dir) {
  const { spoolReceiver } = await import('@ipc/file');
  const spool = join(dir, 'spool');
  await childResult(child('spool-send', [spool, 30]), 'spool-send');
  const rx = spoolReceiver(spool, { codec: 'json' });
  const got = [];
  try {
    for (let i = 0; i < 30; i++) {
      const d = await rx.recvDelivery({ timeout: 30_000 });
      got.push(d.message.id);
      await d.ack();
    }
  } finally {
    await rx.close();
  }
  sameJson(
    [...got].sort((a, b) => a - b),
    range(30),
    'spooled ids',
  );
  return `30 files sent by a child, received and acknowledged`;
}

/** @ipc/file: the SQLite queue (Node >= 22.13: node:sqlite), or a typed error where Node lacks it. */
async function sqlitePart(dir) {
  let hasSqlite = true;
  try {
    await import('node:sqlite');
  } catch {
    hasSqlite = false;
  }
  const { sqliteQueue } = await import('@ipc/file');
  const db = join(dir, 'queue.db');
  if (!hasSqlite) {
    try {
      const q = sqliteQueue(db, { name: 'jobs', codec: 'json' });
      await q.send({ id: 1 });
      await q.close?.();
    } catch (err) {
      check(isIpcError(err), `a typed IpcError without node:sqlite, got ${err?.stack ?? err}`);
      return `no node:sqlite on Node ${process.versions.node}: typed ${err.code}`;
    }
    throw new Error(`sqliteQueue worked on Node ${process.versions.node} without node:sqlite`);
  }
  await childResult(child('sqlite-send', [db, 20]), 'sqlite-send');
  const q = sqliteQueue(db, { name: 'jobs', codec: 'json' });
  const got = [];
  try {
    for (let i = 0; i < 20; i++) {
      const d = await q.recvDelivery({ timeout: 30_000 });
      got.push(d.message.id);
      await d.ack();
    }
  } finally {
    await q.close();
  }
  sameJson(got, range(20), 'SQLite messages in order');
  return `20 messages sent by a child, received and acknowledged (node:sqlite)`;
}

/** @ipc/mq: ZeroMQ push (child) -> pull (here) over ipc://. */
async function zmqPart(dir) {
  const zmq = await import('@ipc/mq/zmq');
  const endpoint = `ipc://${join(dir, 'zmq.sock')}`;
  const rx = await zmq.pull(endpoint, { endAfter: 1 });
  const got = [];
  try {
    const c = child('zmq-push', [endpoint, 50]);
    for await (const m of rx) got.push(m.id);
    await childResult(c, 'zmq-push');
  } finally {
    await rx.close();
  }
  sameJson(got, range(50), 'ZeroMQ messages in order');
  return `50 messages pushed by a child`;
}

/** @ipc/signal: a child waits for SIGUSR2, this process sends it. */
async function signalPart() {
  const { sendSignal } = await import('@ipc/signal');
  const c = child('signal-wait');
  await c.line('ready');
  sendSignal(c.proc.pid, 'SIGUSR2');
  const out = await childResult(c, 'signal-wait');
  sameJson(out, { got: 'SIGUSR2' }, 'the signal the child saw');
  return `SIGUSR2 delivered and awaited`;
}

/** @ipc/fifo: the kernel buffer grown to DEFAULT_PIPE_SIZE (native addon), then messages from a child. */
async function fifoPart(dir) {
  const { createFifo, openFifo, DEFAULT_PIPE_SIZE } = await import('@ipc/fifo');
  const fifo = await createFifo(join(dir, 'smoke.fifo'));
  const rx = await openFifo(fifo.path, 'r', { framing: 'lines', codec: 'json', persistent: true });
  try {
    // The child fills the pipe with non-blocking writes while this process is blocked in spawnSync
    // (so nothing reads): what fits is the kernel buffer the receiver set, not the default 64 KiB.
    const fill = spawnSync(...childCommand('fifo-fill', [fifo.path]), {
      encoding: 'utf8',
      timeout: PART_TIMEOUT_MS,
    });
    check(fill.status === 0, `fifo-fill exited ${fill.status ?? fill.signal}: ${fill.stderr}`);
    const { bytes, lines } = JSON.parse(fill.stdout.trim());
    const maxSize = Number(spawnSync('cat', ['/proc/sys/fs/pipe-max-size'], { encoding: 'utf8' }).stdout);
    const want = Math.min(DEFAULT_PIPE_SIZE, maxSize);
    check(bytes >= want, `pipe size: ${bytes} bytes fit, expected at least ${want} (addon grows it)`);
    for (let i = 0; i < lines; i++) {
      const m = await rx.recv({ timeout: 30_000 });
      check(m.i === i, `fill line ${i}: got ${JSON.stringify(m).slice(0, 80)}`);
    }
    const c = child('fifo-send', [fifo.path, 10]);
    for (let i = 0; i < 10; i++) sameJson(await rx.recv({ timeout: 30_000 }), { n: i }, `fifo message ${i}`);
    await childResult(c, 'fifo-send');
    return `pipe holds ${bytes} bytes (${lines} lines), then 10 messages from a child`;
  } finally {
    await rx.close();
    await fifo.remove?.();
  }
}

const RUN = {
  pipe: pipePart,
  socket: socketPart,
  shm: shmPart,
  queue: queuePart,
  spool: spoolPart,
  sqlite: sqlitePart,
  zmq: zmqPart,
  signal: signalPart,
  fifo: fifoPart,
};

// ---------------------------------------------------------------------------------------- children

const CHILD = {
  async 'pipe-square'() {
    const { parentChannel } = await import('@ipc/pipe');
    const channel = parentChannel();
    for await (const n of channel) await channel.send(n * n);
    await channel.close();
  },
  async 'socket-client'(address) {
    const { connect } = await import('@ipc/socket');
    const client = await connect(address, { authkey: 'smoke' });
    const replies = [];
    for (let n = 0; n < 10; n++) replies.push(await client.request({ n }, { timeout: 30_000 }));
    const p = client.peer;
    await client.close();
    console.log(JSON.stringify({ replies, serverPeer: p ? { pid: p.pid, uid: p.uid, gid: p.gid } : null }));
  },
  async 'shm-add'(name, rounds) {
    const { Value } = await import('@ipc/shm');
    const counter = Value.open(name);
    for (let i = 0; i < Number(rounds); i++) {
      await counter.withLock(async () => {
        const v = counter.value;
        await new Promise((r) => setImmediate(r)); // the other process runs in between, if it may
        counter.value = v + 1;
      });
    }
    counter.close();
    console.log(
      JSON.stringify({ runs: `Node ${process.versions.node} ${process.platform}-${process.arch}` }),
    );
  },
  async 'shm-atomic-add'(name, n) {
    const { SharedArray } = await import('@ipc/shm');
    const slots = SharedArray.open(name);
    for (let i = 0; i < Number(n); i++) Atomics.add(slots.array, 0, 1);
    slots.close();
  },
  async 'queue-produce'(name, p, n) {
    const { openQueue } = await import('@ipc/queue');
    const queue = openQueue(name);
    for (let i = 0; i < Number(n); i++) await queue.put(`${p}:${i}`);
    await queue.close();
  },
  async 'queue-consume'(name) {
    const { openQueue } = await import('@ipc/queue');
    const queue = openQueue(name);
    const got = [];
    for (;;) {
      const m = await queue.get();
      if (m === null) break;
      got.push(m);
    }
    await queue.close();
    console.log(JSON.stringify(got));
  },
  async 'spool-send'(dir, n) {
    const { spoolSender } = await import('@ipc/file');
    const tx = spoolSender(dir, { codec: 'json' });
    for (let id = 0; id < Number(n); id++) await tx.send({ id });
    await tx.close();
  },
  async 'sqlite-send'(db, n) {
    const { sqliteQueue } = await import('@ipc/file');
    const q = sqliteQueue(db, { name: 'jobs', codec: 'json' });
    for (let id = 0; id < Number(n); id++) await q.send({ id });
    await q.close();
  },
  async 'zmq-push'(endpoint, n) {
    const zmq = await import('@ipc/mq/zmq');
    const tx = await zmq.push(endpoint, { endOnClose: true });
    for (let id = 0; id < Number(n); id++) await tx.send({ id });
    await tx.close();
  },
  async 'signal-wait'() {
    const { waitForSignal } = await import('@ipc/signal');
    const got = waitForSignal('SIGUSR2', { timeout: 60_000 });
    console.log('ready');
    console.log(JSON.stringify({ got: await got }));
  },
  async 'fifo-fill'(path) {
    // Raw non-blocking writes of 1 KiB JSON lines (atomic: below PIPE_BUF) until the pipe is full.
    const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    let lines = 0;
    try {
      for (;;) {
        const head = `{"i":${lines},"pad":"`;
        const line = head + 'x'.repeat(1024 - head.length - 3) + '"}\n';
        try {
          writeSync(fd, line);
        } catch (err) {
          if (err.code === 'EAGAIN') break;
          throw err;
        }
        lines++;
        if (lines > 64 * 1024) throw new Error('the pipe never filled');
      }
    } finally {
      closeSync(fd);
    }
    console.log(JSON.stringify({ bytes: lines * 1024, lines }));
  },
  async 'fifo-send'(path, n) {
    const { openFifo } = await import('@ipc/fifo');
    const tx = await openFifo(path, 'w', { framing: 'lines', codec: 'json', timeout: 30_000 });
    for (let i = 0; i < Number(n); i++) await tx.send({ n: i });
    await tx.close();
  },
};

// ---------------------------------------------------------------------------------------- main

function parseArgs(argv) {
  const opts = { only: PARTS, shmRounds: 1000 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') opts.only = argv[++i].split(',').filter(Boolean);
    else if (argv[i] === '--shm-rounds') opts.shmRounds = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const unknown = opts.only.filter((p) => !PARTS.includes(p));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const label = `Node ${process.versions.node} ${process.platform}-${process.arch}`;
  const dir = mkdtempSync(join(tmpdir(), 'ipc-smoke-'));
  const failed = [];
  try {
    for (const part of opts.only) {
      try {
        const what = await withTimeout(RUN[part](dir, opts), PART_TIMEOUT_MS, part);
        console.log(`ok   ${part}: ${what}`);
      } catch (err) {
        failed.push(part);
        console.log(`FAIL ${part}: ${err?.stack ?? err}`);
        for (const c of children) c.kill('SIGKILL');
      }
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  const leftover = readdirSync('/dev/shm').filter((f) => f.includes(`ipc-smoke-${process.pid}`));
  if (leftover.length) {
    failed.push('cleanup');
    console.log(`FAIL cleanup: left in /dev/shm: ${leftover.join(', ')}`);
    for (const f of leftover) rmSync(join('/dev/shm', f), { force: true });
  }
  const passed = opts.only.length - failed.filter((f) => f !== 'cleanup').length;
  console.log(
    `smoke (${label}): ${passed} passed, ${failed.length} failed${failed.length ? ` (${failed})` : ''}`,
  );
  process.exitCode = failed.length ? 1 : 0;
  // Handles a failed part left behind must not keep the process alive.
  setTimeout(() => process.exit(process.exitCode), 1000).unref();
}

if (process.argv[2] === 'child') {
  const [, , , role, ...args] = process.argv;
  const run = CHILD[role];
  if (!run) {
    console.error(`unknown child role ${role}`);
    process.exit(2);
  }
  run(...args).catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  });
}

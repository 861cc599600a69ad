import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IpcError } from '@ipc/core';
import {
  connect,
  formatAddress,
  listen,
  type ErrorContext,
  type ListenOptions,
  type PeerCredentials,
  type SocketServer,
} from '@ipc/socket';
import { jsonChild, type JsonChild } from './fixtures/child-json.js';
import { freshAddress, type Kind } from './fixtures/servers.js';

const me = { uid: process.getuid!(), gid: process.getgid!() };
const nodeClient = join(__dirname, 'fixtures', 'peer-client.mjs');
const pythonClient = join(__dirname, 'fixtures', 'python-peer-client.py');

/** Everything a test opened, closed after it. */
const open: { servers: SocketServer[]; children: JsonChild[]; removes: (() => void)[] } = {
  servers: [],
  children: [],
  removes: [],
};
afterEach(async () => {
  await Promise.all(open.children.splice(0).map((c) => c.kill()));
  await Promise.all(open.servers.splice(0).map((s) => s.close()));
  for (const remove of open.removes.splice(0)) remove();
});

/** A JSON server on a fresh address whose handler answers with the peer it sees, both ways. */
async function whoAmIServer(kind: Kind, options: ListenOptions = {}) {
  const { address, remove } = freshAddress(kind);
  open.removes.push(remove);
  const errors: { error: IpcError; context: ErrorContext }[] = [];
  const server = await listen(address, {
    codec: 'json',
    onError: (error, context) => errors.push({ error, context }),
    ...options,
  });
  open.servers.push(server);
  server.handle((_req, ctx) => ({ ctx: ctx.peer ?? null, connection: ctx.connection.peer ?? null }));
  return { server, url: formatAddress(server.address), errors };
}

function node(url: string, mode: 'ask' | 'hold', authkey?: string): JsonChild {
  const child = jsonChild(process.execPath, [nodeClient, url, mode, ...(authkey ? [authkey] : [])]);
  open.children.push(child);
  return child;
}

/** Python's address argument: the path, or "@name" for an abstract socket. */
function pythonAddress(server: SocketServer): string {
  const a = server.address;
  if (a.kind === 'unix') return a.path;
  if (a.kind === 'abstract') return `@${a.name}`;
  throw new Error('not a Unix socket');
}

/**
 * The Python client as another user may read it: a world-readable copy in a fresh temporary folder
 * (removed after the test), since the checkout may sit under a 0700 folder that user cannot enter.
 */
function pythonClientFor(uid: number | undefined): string {
  if (uid === undefined) return pythonClient;
  const dir = mkdtempSync(join(tmpdir(), 'ipc-socket-peer-'));
  open.removes.push(() => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, 'python-peer-client.py');
  copyFileSync(pythonClient, copy);
  chmodSync(copy, 0o644);
  chmodSync(dir, 0o755);
  return copy;
}

function python(server: SocketServer, authkey?: string, command = 'python3', uid?: number): JsonChild {
  const args = [pythonClientFor(uid), pythonAddress(server), ...(authkey ? [authkey] : [])];
  const child = jsonChild(command, args, uid === undefined ? {} : { uid, gid: uid, cwd: '/' });
  open.children.push(child);
  return child;
}

describe.each<Kind>(['unix', 'abstract'])('peer credentials over %s sockets', (kind) => {
  it("gives the server a Node child's pid and our uid/gid, in ctx.peer and connection.peer", async () => {
    const { url } = await whoAmIServer(kind);
    const child = node(url, 'ask');
    const out = await child.next();
    expect(out.error).toBeUndefined();
    const expected: PeerCredentials = { pid: child.pid, ...me };
    expect(out.seen).toEqual({ ctx: expected, connection: expected });
    // and the client sees the server process (this one)
    expect(out.server).toEqual({ pid: process.pid, ...me });
  });

  it("gives the server a Python stdlib client's pid", async () => {
    const { server } = await whoAmIServer(kind);
    const child = python(server);
    const out = await child.next();
    expect(out.error).toBeUndefined();
    expect(out.pid).toBe(child.pid);
    expect(out.reply).toEqual({
      $rpc: 'res',
      id: 1,
      body: { ctx: { pid: child.pid, ...me }, connection: { pid: child.pid, ...me } },
    });
  });

  it('reads them at accept time: they stay on the connection after the client process died', async () => {
    const { address, remove } = freshAddress(kind);
    open.removes.push(remove);
    const server = await listen(address, { codec: 'json' });
    open.servers.push(server);
    const accepted = server.accept({ timeout: 20_000 });
    const child = node(formatAddress(server.address), 'hold');
    expect(await child.next()).toMatchObject({ connected: true });
    const connection = await accepted;
    await child.kill();
    await expect(connection.recv({ timeout: 10_000 })).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    expect(connection.peer).toEqual({ pid: child.pid, ...me });
    expect(connection.info.peer).toEqual({ pid: child.pid, ...me });
  });

  it('lets in a client whose uid is in allowUids', async () => {
    const { url } = await whoAmIServer(kind, { allowUids: [me.uid] });
    const out = await node(url, 'ask').next();
    expect(out.seen.ctx).toEqual({ pid: out.pid, ...me });
  });

  it('refuses a client whose uid is not in allowUids: ERR_PERMISSION on both sides, logged with its pid', async () => {
    const other = me.uid + 4242;
    const { server, url, errors } = await whoAmIServer(kind, { allowUids: [other] });
    const child = node(url, 'ask');
    const out = await child.next();
    expect(out.error).toEqual({
      code: 'ERR_PERMISSION',
      message: `the server refused this connection: uid ${me.uid} is not allowed`,
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.code).toBe('ERR_PERMISSION');
    expect(errors[0]!.error.message).toContain(`pid ${child.pid}`);
    expect(errors[0]!.context.phase).toBe('auth');
    expect(errors[0]!.context.connection?.peer).toEqual({ pid: child.pid, ...me });
    expect(server.connections.size).toBe(0);
    // a Python client can read the refusal envelope too
    const py = await python(server).next();
    expect(py.reply).toMatchObject({ $rpc: 'err', id: 0, error: { code: 'ERR_PERMISSION' } });
  });

  it('with an authkey, refuses before the handshake: connect() rejects with ERR_PERMISSION', async () => {
    const { server, url, errors } = await whoAmIServer(kind, { allowUids: [me.uid + 1], authkey: 'sesame' });
    const out = await node(url, 'ask', 'sesame').next();
    expect(out.error).toMatchObject({ code: 'ERR_PERMISSION' });
    expect(errors.map((e) => e.error.code)).toEqual(['ERR_PERMISSION']);
    // Python ≥ 3.12 raises AuthenticationError ("expected challenge"), 3.11 an AssertionError
    const py = await python(server, 'sesame').next();
    expect(['AuthenticationError', 'AssertionError']).toContain(py.error);
    expect(py.reply).toBeUndefined();
    // an allowed list with our uid and the right key still works
    const ok = await whoAmIServer(kind, { allowUids: [me.uid], authkey: 'sesame' });
    expect((await node(ok.url, 'ask', 'sesame').next()).seen.ctx).toMatchObject({ uid: me.uid });
  });

  it('stops a reconnecting client that is refused instead of retrying', async () => {
    const { server } = await whoAmIServer(kind, { allowUids: [me.uid + 1] });
    const client = await connect(server.address, {
      codec: 'json',
      reconnect: { attempts: 50, initialDelay: 1 },
    });
    await expect(client.request('x', { timeout: 10_000 })).rejects.toMatchObject({ code: 'ERR_PERMISSION' });
    await expect(client.recv({ timeout: 10_000 })).rejects.toMatchObject({ code: 'ERR_PERMISSION' });
    expect(client.closed).toBe(true);
  });
});

describe('peer credentials of another user (runs as root)', () => {
  // The test suite runs as root in CI; another uid needs root to spawn. Python is the system one:
  // the "nobody" user cannot read a pyenv under /root.
  const systemPython = ['/usr/bin/python3', '/bin/python3'].find((p) => existsSync(p));
  const asRoot = me.uid === 0 && systemPython !== undefined;
  const nobody = 65534;

  (asRoot ? it : it.skip)(
    'sees uid 65534 for a client running as nobody, and allowUids refuses it while serving root',
    async () => {
      // an abstract socket: no file permissions stand in the way, only allowUids
      const { server, errors } = await whoAmIServer('abstract', { allowUids: [0] });
      const refused = await python(server, undefined, systemPython, nobody).next();
      expect(refused.uid).toBe(nobody);
      expect(refused.reply).toMatchObject({ $rpc: 'err', id: 0, error: { code: 'ERR_PERMISSION' } });
      expect(errors[0]!.context.connection?.peer).toMatchObject({ uid: nobody, gid: nobody });
      const served = await python(server, undefined, systemPython).next();
      expect(served.reply.body.ctx).toMatchObject({ uid: 0 });

      const open = await whoAmIServer('abstract');
      const seen = await python(open.server, undefined, systemPython, nobody).next();
      expect(seen.reply.body.ctx).toEqual({ pid: seen.pid, uid: nobody, gid: nobody });
    },
  );
});

describe('peer credentials over TCP and TLS', () => {
  it('are undefined over TCP, on both sides', async () => {
    const { server } = await whoAmIServer('tcp');
    const accepted = server.accept({ timeout: 10_000 });
    const client = await connect(server.address, { codec: 'json' });
    try {
      expect(client.peer).toBeUndefined();
      expect(client.info.peer).toBeUndefined();
      expect(await client.request('who?')).toEqual({ ctx: null, connection: null });
    } finally {
      await client.close();
    }
    void accepted.catch(() => undefined);
  });

  it('refuse allowUids on a TCP or TLS address (no credentials there): ERR_INVALID_ARGUMENT', async () => {
    await expect(listen('tcp://127.0.0.1:0', { allowUids: [me.uid] })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(
      listen('tls://127.0.0.1:0', { allowUids: [me.uid], tls: { key: 'k', cert: 'c' } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('refuse a malformed allowUids: ERR_INVALID_ARGUMENT, and no socket file is left', async () => {
    const { address, remove } = freshAddress('unix');
    open.removes.push(remove);
    for (const bad of [[-1], [1.5], ['0'], 7] as unknown[]) {
      await expect(listen(address, { allowUids: bad as number[] })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
    }
    if (address.kind === 'unix') expect(existsSync(address.path)).toBe(false);
  });
});

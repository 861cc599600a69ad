/**
 * A Python echo peer for the conformance suite: plain Python, standard library only, as Python users
 * write it (`multiprocessing.connection`). It ships inside this module as source, run with
 * `python3 -c`, so it works from the built package without a file to find.
 */

/** The codecs a Python peer speaks with nothing but its standard library. */
export type PythonPeerCodec = 'pickle' | 'json' | 'raw';

/** How the Python peer reaches this process. */
export type PythonPeerConnection =
  /** An inherited file descriptor (`Connection(fd)`), as `@ipc/pipe`'s spawnChannel gives fd 3. */
  | { fd: number }
  /**
   * `Listener(address, authkey=...)`: a Unix socket path, `@name` for an abstract name, or
   * `host:port` (port 0 picks one). It prints `ready <address>` once listening and serves one client.
   */
  | { listen: string; authkey?: string }
  /** Two FIFOs: it reads `read` and writes `write` (`Connection(os.open(...))`). It prints `ready`. */
  | { fifo: { read: string; write: string } };

/**
 * The Python program. Echoes every message back until the other side ends the stream (then exits 0):
 * `pickle` with `conn.recv()` / `conn.send(obj)`, `json` through `json.loads` / `json.dumps`, `raw`
 * with `recv_bytes` / `send_bytes`.
 */
export const PYTHON_ECHO_PEER = `
import json, os, sys
from multiprocessing.connection import Client, Connection, Listener

codec, how = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
listener = None
if how == "fd":
    reader = writer = Connection(int(args[0]))
elif how == "fifo":
    reader = Connection(os.open(args[0], os.O_RDONLY), writable=False)
    writer = Connection(os.open(args[1], os.O_WRONLY), readable=False)
    print("ready", flush=True)
else:
    where = args[0]
    if where.startswith("@"):
        address = "\\0" + where[1:]
    elif ":" in where and not where.startswith("/"):
        host, _, port = where.rpartition(":")
        address = (host, int(port))
    else:
        address = where
    listener = Listener(address, authkey=args[1].encode() if len(args) > 1 else None)
    shown = listener.address
    if isinstance(shown, tuple):
        shown = "%s:%d" % shown
    elif isinstance(shown, bytes):
        shown = "@" + shown[1:].decode()
    print("ready", shown, flush=True)
    reader = writer = listener.accept()
while True:
    try:
        if codec == "pickle":
            writer.send(reader.recv())
        elif codec == "json":
            writer.send_bytes(json.dumps(json.loads(reader.recv_bytes())).encode())
        else:
            writer.send_bytes(reader.recv_bytes())
    except EOFError:
        break
sys.exit(0)
`;

/** The arguments of `python3` that run {@link PYTHON_ECHO_PEER} with `codec` over `connection`. */
export function pythonEchoPeerArgs(codec: PythonPeerCodec, connection: PythonPeerConnection): string[] {
  const base = ['-c', PYTHON_ECHO_PEER, codec];
  if ('fd' in connection) return [...base, 'fd', String(connection.fd)];
  if ('fifo' in connection) return [...base, 'fifo', connection.fifo.read, connection.fifo.write];
  return [
    ...base,
    'listen',
    connection.listen,
    ...(connection.authkey === undefined ? [] : [connection.authkey]),
  ];
}

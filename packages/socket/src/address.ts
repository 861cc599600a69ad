import { isAbsolute } from 'node:path';
import { IpcError } from '@ipc/core';

/** A Unix domain socket bound to a file system path (`AF_UNIX`, a socket file). */
export interface UnixAddress {
  readonly kind: 'unix';
  /** The socket file's path (absolute, or relative to the working directory). */
  readonly path: string;
}

/**
 * A Linux abstract Unix socket (`AF_UNIX` with a leading NUL in `sun_path`): no file, gone when the
 * last socket closes. It has no file permissions: any local process may connect — use `authkey`.
 */
export interface AbstractAddress {
  readonly kind: 'abstract';
  /** The name, without the leading NUL byte. */
  readonly name: string;
}

/** A TCP endpoint (IPv4 or IPv6), optionally with TLS on top. */
export interface TcpAddress {
  readonly kind: 'tcp' | 'tls';
  /** Host name or IP literal (IPv6 without brackets). For `listen`, the interface to bind. */
  readonly host: string;
  /** The port, 0–65535; 0 lets `listen` pick a free one (see `SocketServer.address`). */
  readonly port: number;
}

/** Every address this package understands. Parse strings with {@link parseAddress}. */
export type SocketAddress = UnixAddress | AbstractAddress | TcpAddress;

/**
 * What {@link listen} and {@link connect} accept: an address object or a URL-style string —
 * `unix:///run/app.sock` (percent-encoded path), `unix-abstract:name`, `tcp://127.0.0.1:7000`,
 * `tcp://[::1]:7000`, `tls://host:7443`.
 */
export type AddressInput = SocketAddress | string;

/**
 * `sun_path` of `struct sockaddr_un` on Linux is 108 bytes, including the terminating NUL of a path
 * (an abstract name uses the same 108 bytes: a leading NUL, then the name). Node truncates longer
 * paths silently, so this package checks first.
 */
export const SUN_PATH_BYTES = 108;

/** Parses and validates an address; throws `ERR_INVALID_ARGUMENT` with the reason otherwise. */
export function parseAddress(input: AddressInput): SocketAddress {
  if (typeof input === 'string') return parseAddressString(input);
  if (typeof input !== 'object' || input === null) {
    throw invalid(`an address must be a string or an object, got ${typeof input}`);
  }
  const kind = (input as { kind?: unknown }).kind;
  switch (kind) {
    case 'unix':
      return { kind, path: checkUnixPath((input as UnixAddress).path) };
    case 'abstract':
      return { kind, name: checkAbstractName((input as AbstractAddress).name) };
    case 'tcp':
    case 'tls': {
      const a = input as TcpAddress;
      return { kind, host: checkHost(a.host), port: checkPort(a.port) };
    }
    default:
      throw invalid(`unknown address kind ${JSON.stringify(kind)} (expected unix, abstract, tcp or tls)`);
  }
}

/** The URL-style string of an address (the inverse of {@link parseAddress}). */
export function formatAddress(address: SocketAddress): string {
  switch (address.kind) {
    case 'unix':
      return `unix://${encodeURI(address.path).replace(/[?#]/g, encodeURIComponent)}`;
    case 'abstract':
      return `unix-abstract:${encodeURIComponent(address.name)}`;
    default: {
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      return `${address.kind}://${host}:${address.port}`;
    }
  }
}

/** The `path` Node's `net` module takes for a Unix or abstract address. */
export function nodePath(address: UnixAddress | AbstractAddress): string {
  return address.kind === 'unix' ? address.path : `\0${address.name}`;
}

function parseAddressString(text: string): SocketAddress {
  if (text.startsWith('unix://')) {
    const path = decode(text.slice('unix://'.length), text);
    if (!isAbsolute(path)) throw invalid(`a unix:// address needs an absolute path: ${text}`);
    return { kind: 'unix', path: checkUnixPath(path) };
  }
  if (text.startsWith('unix-abstract:')) {
    return { kind: 'abstract', name: checkAbstractName(decode(text.slice('unix-abstract:'.length), text)) };
  }
  const match = /^(tcp|tls):\/\/(\[[0-9a-fA-F:.%\w]+\]|[^/:[\]?#@]+):(\d{1,5})\/?$/.exec(text);
  if (match) {
    const [, kind, rawHost, port] = match as unknown as [string, 'tcp' | 'tls', string, string];
    const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
    return { kind, host: checkHost(host), port: checkPort(Number(port)) };
  }
  throw invalid(
    `cannot parse address ${JSON.stringify(text)}: expected unix:///path, unix-abstract:name, ` +
      'tcp://host:port, tcp://[v6]:port or tls://host:port',
  );
}

function decode(part: string, whole: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`bad percent-encoding in address ${JSON.stringify(whole)}`);
  }
}

/** Checks a socket path against `sun_path` (Node would truncate it silently). */
export function checkUnixPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) throw invalid('a unix address needs a non-empty path');
  if (path.includes('\0')) throw invalid('a unix socket path cannot contain a NUL byte (use kind: abstract)');
  const bytes = Buffer.byteLength(path);
  if (bytes >= SUN_PATH_BYTES) {
    throw invalid(
      `unix socket path is ${bytes} bytes; the OS limit (sun_path) is ${SUN_PATH_BYTES - 1} bytes ` +
        `plus NUL: use a shorter path or a directory closer to / (${path})`,
    );
  }
  return path;
}

function checkAbstractName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0)
    throw invalid('an abstract address needs a non-empty name');
  if (process.platform !== 'linux') {
    throw new IpcError('ERR_UNSUPPORTED', 'abstract Unix socket names exist only on Linux');
  }
  const bytes = Buffer.byteLength(name);
  if (bytes + 1 > SUN_PATH_BYTES) {
    throw invalid(`abstract socket name is ${bytes} bytes; the limit (sun_path) is ${SUN_PATH_BYTES - 1}`);
  }
  return name;
}

function checkHost(host: unknown): string {
  if (typeof host !== 'string' || host.length === 0) throw invalid('a tcp/tls address needs a host');
  return host;
}

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid(`a port must be an integer 0–65535, got ${String(port)}`);
  }
  return port;
}

function invalid(message: string): IpcError {
  return new IpcError('ERR_INVALID_ARGUMENT', message);
}

/**
 * The native addon's surface, declared once (the C sources are `native/peer_cred.c` and
 * `native/socket_buffers.c`). Its functions throw an `Error` carrying `errno` (a number) and `syscall`
 * on an OS failure. Nothing outside this package's own modules calls it directly.
 */
export interface NativeAddon {
  /**
   * `getsockopt(fd, SOL_SOCKET, SO_PEERCRED)`: the pid, uid and gid the kernel recorded for the
   * process at the other end of the connected Unix socket `fd`. Throws `ENOTSOCK`, `EBADF`, `ENOSYS`
   * (no `SO_PEERCRED` on this OS), `EINVAL` (fd not an integer).
   */
  peerCred(fd: number): { pid: number; uid: number; gid: number };
  /**
   * The kernel buffer sizes of socket `fd` (`getsockopt` `SO_SNDBUF` / `SO_RCVBUF`), after setting both
   * to `bytes` when given (`setsockopt`; the kernel doubles the value and caps it at
   * `net.core.wmem_max` / `rmem_max`). Throws `EBADF`, `ENOTSOCK`, `EINVAL` (bad arguments).
   */
  socketBuffers(fd: number, bytes?: number): { send: number; receive: number };
}

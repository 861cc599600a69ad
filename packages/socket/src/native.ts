/**
 * The native addon's surface, declared once (the C source is `native/peer_cred.c`). Its function
 * throws an `Error` carrying `errno` (a number) and `syscall` on an OS failure. Nothing outside this
 * package's own modules calls it directly.
 */
export interface NativeAddon {
  /**
   * `getsockopt(fd, SOL_SOCKET, SO_PEERCRED)`: the pid, uid and gid the kernel recorded for the
   * process at the other end of the connected Unix socket `fd`. Throws `ENOTSOCK`, `EBADF`, `ENOSYS`
   * (no `SO_PEERCRED` on this OS), `EINVAL` (fd not an integer).
   */
  peerCred(fd: number): { pid: number; uid: number; gid: number };
}

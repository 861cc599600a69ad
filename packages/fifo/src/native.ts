/**
 * The native addon's surface, declared once (the C source is `native/pipe_size.c`). Its functions
 * throw an `Error` carrying `errno` (a number) and `syscall` on an OS failure. Nothing outside this
 * package's own modules calls it directly.
 */
export interface NativeAddon {
  /**
   * `fcntl(fd, F_SETPIPE_SZ, bytes)`: resizes the kernel buffer of the pipe (or FIFO) open at `fd`;
   * returns the size the kernel chose. Throws `EPERM` above `/proc/sys/fs/pipe-max-size` (unprivileged),
   * `EBUSY` below what the pipe holds, `EBADF`, `EINVAL`.
   */
  setPipeSize(fd: number, bytes: number): number;
  /** `fcntl(fd, F_GETPIPE_SZ)`: the size of the kernel buffer of the pipe open at `fd`. */
  pipeSize(fd: number): number;
}

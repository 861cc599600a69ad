/**
 * `PIPE_BUF` on Linux: the largest write to a pipe or FIFO that the kernel performs atomically — it is
 * never split, nor interleaved with another writer's data. POSIX guarantees at least 512; Linux has 4096.
 *
 * @see https://man7.org/linux/man-pages/man7/pipe.7.html
 */
export const PIPE_BUF = 4096;

/**
 * @ipc/fifo — Named pipes (mkfifo) as typed message channels, for shell tools and other languages. (work in progress).
 *
 * @packageDocumentation
 */
export {};

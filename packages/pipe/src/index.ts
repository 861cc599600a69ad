/**
 * @ipc/pipe — Two-way message pipes between a parent and the child it spawns (Python's Pipe + Process), over an inherited file descriptor. (work in progress).
 *
 * @packageDocumentation
 */
export {};

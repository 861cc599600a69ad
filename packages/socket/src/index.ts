/**
 * @ipc/socket — Unix domain (path and abstract), TCP and TLS message servers and clients with request/reply and authentication. (work in progress).
 *
 * @packageDocumentation
 */
export {};

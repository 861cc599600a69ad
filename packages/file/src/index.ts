/**
 * @ipc/file — Durable file channels: a maildir-style spool folder and a SQLite queue. (work in progress).
 *
 * @packageDocumentation
 */
export {};

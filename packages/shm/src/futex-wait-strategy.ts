import type { WaitStrategy } from '@ipc/core';
import { futexWaitAsync, futexWake } from './futex.js';

/** Who the owners of locks are, and whether they live (an {@link OwnerRegistry}). */
export interface OwnerIds {
  /** This process's owner id: a positive int32. */
  readonly selfId: number;
  /** Whether the process named by `id` still runs. */
  isAlive(id: number): boolean;
}

/**
 * The cross-process wait strategy for `@ipc/core`'s locks: {@link futexWaitAsync} and
 * {@link futexWake}, with owner ids from `owners` (usually `segment.waitStrategy()`, which uses the
 * segment's owner registry).
 */
export function futexWaitStrategy(owners: OwnerIds): WaitStrategy {
  return {
    name: 'futex',
    selfId: owners.selfId,
    isAlive: (id) => owners.isAlive(id),
    wait: futexWaitAsync,
    notify: futexWake,
  };
}

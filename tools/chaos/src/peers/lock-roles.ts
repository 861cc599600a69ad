import { Mutex } from '@ipc/core';

/** Arguments of the `hold-mutex` and `churn-mutex` roles. */
export interface MutexArgs {
  /** The segment whose first words are the mutex. */
  name: string;
}

async function openMutex(name: string): Promise<Mutex> {
  const { SharedMemory } = await import('@ipc/shm');
  const shm = SharedMemory.open(name);
  return new Mutex(new Int32Array(shm.buffer, 0, Mutex.WORDS), { strategy: shm.waitStrategy() });
}

/** The `hold-mutex` role: takes the mutex, says `held`, and holds it until killed. */
export async function holdMutexRole(args: MutexArgs): Promise<void> {
  const mutex = await openMutex(args.name);
  await mutex.acquire({ timeout: 30_000 });
  process.stdout.write('held\n');
  setInterval(() => undefined, 60_000);
}

/** The `churn-mutex` role: takes and releases the mutex as fast as it can until killed (says `churning`). */
export async function churnMutexRole(args: MutexArgs): Promise<void> {
  const mutex = await openMutex(args.name);
  process.stdout.write('churning\n');
  for (;;) {
    try {
      const guard = await mutex.acquire({ timeout: 30_000 });
      guard.release();
    } catch {
      // ERR_OWNER_DEAD after an earlier churner was killed: the lock is free again.
    }
  }
}

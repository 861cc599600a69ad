import { IpcError, type WaitResult } from '@ipc/core';
import { addon } from './load-addon.js';
import { wordIdentity } from './memory-identity.js';
import { osError } from './os-error.js';

/** Waits on one word, shared by every caller waiting on the same word for the same value. */
interface Group {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  readonly expected: number;
  readonly word: string;
  readonly waiters: Set<(result: WaitResult) => void>;
  native: boolean;
}

const byId = new Map<number, Group>();
const byWord = new Map<string, Set<Group>>();
const polled = new Set<Group>();
// A random start keeps ids of two copies of this module in one process (which share the native
// waiter thread and both see every finished id) from meeting.
let nextId = 1 + Math.floor(Math.random() * 0x7ffffff0);
let threadReady: boolean | undefined;
let pollTimer: NodeJS.Timeout | undefined;
let keptAlive = false;

/** How often waits that did not fit in the waiter thread's 127 slots re-read their word, in ms. */
const POLL_MS = 2;
const INT32_MAX = 0x7fffffff;

function checkWord(array: Int32Array, index: number): number {
  if (!(array instanceof Int32Array) || !Number.isInteger(index) || index < 0 || index >= array.length) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `no Int32 element ${String(index)} in this array`);
  }
  return array.byteOffset + index * 4;
}

function startThread(): boolean {
  threadReady ??= addon().waiterStart(onNativeDone);
  return threadReady;
}

function onNativeDone(ids: number[]): void {
  for (const id of ids) {
    const group = byId.get(id);
    if (group) finish(group, 'ok', false);
  }
  promotePolled();
}

/** Resolves every waiter of `group`; `cancelNative` removes its slot from the waiter thread. */
function finish(group: Group, result: WaitResult, cancelNative: boolean): void {
  forget(group, cancelNative);
  for (const resolve of group.waiters) resolve(result);
}

function forget(group: Group, cancelNative: boolean): void {
  if (!byId.delete(group.id)) return;
  const set = byWord.get(group.word);
  set?.delete(group);
  if (set?.size === 0) byWord.delete(group.word);
  if (group.native) {
    if (cancelNative) addon().waiterCancel(group.id);
  } else {
    polled.delete(group);
    stopPollingIfIdle();
  }
  updateKeepAlive();
}

function stopPollingIfIdle(): void {
  if (polled.size === 0 && pollTimer) {
    clearInterval(pollTimer);
    pollTimer = undefined;
  }
}

function updateKeepAlive(): void {
  const want = byId.size > 0;
  if (want === keptAlive || threadReady !== true) return;
  keptAlive = want;
  addon().waiterRef(want);
}

function promotePolled(): void {
  for (const group of polled) {
    if (!addon().waiterAdd(group.buffer, group.byteOffset, group.expected, group.id)) return;
    group.native = true;
    polled.delete(group);
  }
  stopPollingIfIdle();
}

function poll(): void {
  for (const group of polled) {
    if (Atomics.load(new Int32Array(group.buffer, group.byteOffset, 1), 0) !== group.expected) {
      finish(group, 'ok', false);
    }
  }
}

function join(array: Int32Array, byteOffset: number, expected: number): Group {
  const word = wordIdentity(array.buffer as ArrayBuffer, byteOffset);
  let set = byWord.get(word);
  for (const group of set ?? []) if (group.expected === expected) return group;
  const group: Group = {
    id: nextId,
    buffer: array.buffer as ArrayBuffer,
    byteOffset,
    expected,
    word,
    waiters: new Set(),
    native: false,
  };
  nextId = nextId >= 0xfffffff0 ? 1 : nextId + 1;
  byId.set(group.id, group);
  if (!set) byWord.set(word, (set = new Set()));
  set.add(group);
  if (startThread() && addon().waiterAdd(group.buffer, byteOffset, expected, group.id)) {
    group.native = true;
  } else {
    polled.add(group);
    pollTimer ??= setInterval(poll, POLL_MS);
  }
  updateKeepAlive();
  return group;
}

/**
 * Waits without blocking the event loop until `array[index]` may have changed from `expected`, across
 * processes (a shared futex). Resolves `'not-equal'` at once when it already differs, `'ok'` when
 * woken (spurious wake-ups happen: re-check), `'timed-out'` after `timeoutMs` (undefined: no limit).
 *
 * All waits of a process share one native thread that sleeps in `futex_waitv` on up to 127 distinct
 * words; callers waiting on the same word and value share a slot; waits beyond that re-read their word
 * every 2 ms. libuv's thread pool is never used, so any number of waits leaves `fs` and `dns` free.
 */
export function futexWaitAsync(
  array: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
): Promise<WaitResult> {
  const byteOffset = checkWord(array, index);
  if (Atomics.load(array, index) !== expected) return Promise.resolve('not-equal');
  if (timeoutMs !== undefined && timeoutMs <= 0) return Promise.resolve('timed-out');
  return new Promise((resolve) => {
    const group = join(array, byteOffset, expected | 0);
    let timer: NodeJS.Timeout | undefined;
    const done = (result: WaitResult): void => {
      if (timer) clearTimeout(timer);
      resolve(result);
    };
    group.waiters.add(done);
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      timer = setTimeout(
        () => {
          group.waiters.delete(done);
          if (group.waiters.size === 0) forget(group, true);
          resolve('timed-out');
        },
        Math.min(timeoutMs, INT32_MAX),
      );
    }
  });
}

/**
 * Blocks the calling thread (and so the event loop) until `array[index]` may have changed from
 * `expected`: the lowest-latency wait, for worker threads and tight loops. Same results as {@link futexWaitAsync}.
 */
export function futexWaitSync(
  array: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
): WaitResult {
  const byteOffset = checkWord(array, index);
  let r: number;
  try {
    r = addon().futexWait(array.buffer as ArrayBuffer, byteOffset, expected | 0, timeoutMs ?? -1);
  } catch (err) {
    throw osError(err, 'futex wait');
  }
  return r === 0 ? 'ok' : r === 1 ? 'not-equal' : 'timed-out';
}

/**
 * Wakes up to `count` waiters (default: all) on `array[index]` in every process that maps the memory
 * (`FUTEX_WAKE` without `FUTEX_PRIVATE_FLAG`). Waiters of this process on the same memory are woken at
 * once, whatever mapping they wait through. Returns how many threads the kernel woke.
 */
export function futexWake(array: Int32Array, index: number, count = Number.POSITIVE_INFINITY): number {
  const byteOffset = checkWord(array, index);
  let extra = 0;
  const local =
    byWord.size === 0 ? undefined : byWord.get(wordIdentity(array.buffer as ArrayBuffer, byteOffset));
  if (local) {
    for (const group of [...local]) {
      if (group.native) extra++;
      finish(group, 'ok', true);
    }
  }
  const n = count === Number.POSITIVE_INFINITY ? INT32_MAX : Math.min(INT32_MAX, Math.max(0, count) + extra);
  try {
    return addon().futexWake(array.buffer as ArrayBuffer, byteOffset, n);
  } catch (err) {
    throw osError(err, 'futex wake');
  }
}

/** How many async waits are pending in this process, and how many of them re-read their word by timer. */
export function futexWaitStats(): { pending: number; polled: number } {
  let pending = 0;
  for (const group of byId.values()) pending += group.waiters.size;
  let slow = 0;
  for (const group of polled) slow += group.waiters.size;
  return { pending, polled: slow };
}

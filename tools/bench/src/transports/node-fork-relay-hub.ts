/**
 * Rival for W4: Node has no process-safe queue, so the parent is a hub. Producers `process.send` to it,
 * it relays each message round-robin to the consumers with `child.send` (serialization 'json').
 */
import type { ChildProcess } from 'node:child_process';
import { Inbox } from '@ipc/kit';
import type { BenchCase, QueueConsumer, QueueParent, QueueProducer } from '../adapter.js';

/** Sends in flight per producer before `put` waits for the channel's write callbacks. */
const WINDOW = 1024;
const END = '__end__';

function hub(producers: number, consumerCount: number): QueueParent {
  const consumers: ChildProcess[] = [];
  let next = 0;
  /** End markers received: each producer handle sends one when it closes (one per producer per pass). */
  let ended = 0;
  /** Messages the parent put (stop sentinels, one per consumer per pass). */
  let parentPuts = 0;
  let endSeen: (() => void) | undefined;
  const relay = (message: unknown): void => {
    const to = consumers[next]!;
    next = (next + 1) % consumers.length;
    to.send(message as object);
  };
  return {
    attach(role, index, child) {
      if (role === 'consumer') {
        consumers[index] = child;
        return;
      }
      child.on('message', (m) => {
        if (m === END) {
          ended += 1;
          endSeen?.();
        } else relay(m);
      });
    },
    async put(message) {
      // A pass's stop sentinels follow every message of that pass: wait for its end markers.
      const need = producers * (Math.floor(parentPuts++ / consumerCount) + 1);
      while (ended < need) await new Promise<void>((resolve) => (endSeen = resolve));
      relay(message);
    },
    async close() {},
  };
}

function producer(): QueueProducer {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('no IPC channel to the hub');
  let pending = 0;
  let wake: (() => void) | undefined;
  const written = (): void => {
    pending -= 1;
    if (wake !== undefined && pending <= WINDOW / 2) {
      const w = wake;
      wake = undefined;
      w();
    }
  };
  return {
    put(message) {
      pending += 1;
      send(message, undefined, undefined, written);
      return pending < WINDOW ? undefined : new Promise<void>((resolve) => (wake = resolve));
    },
    close() {
      return new Promise<void>((resolve) => send(END, undefined, undefined, () => resolve()));
    },
  };
}

function consumer(): QueueConsumer {
  const inbox = new Inbox<unknown>();
  const push = (m: unknown): void => inbox.push(m);
  const end = (): void => inbox.end();
  process.on('message', push);
  process.on('disconnect', end);
  return {
    get: () => inbox.recv(),
    // The channel stays open: the next pass's handle receives on it (the process exits at the end).
    async close() {
      process.off('message', push);
      process.off('disconnect', end);
      inbox.close();
    },
  };
}

export const cases: BenchCase[] = [
  {
    name: 'node-fork-relay-hub',
    group: 'node',
    description: "child_process IPC ('json'): producers → parent hub → consumers, round-robin",
    note: 'relay hub: Node has no shared queue',
    workloads: ['W4'],
    encoding: () => 'JSON (Node IPC)',
    queue: {
      childIpc: 'json',
      parent: async (ctx) => hub(ctx.producers, ctx.consumers),
      producer: async () => producer(),
      consumer: async () => consumer(),
    },
  },
];

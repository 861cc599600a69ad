import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { SharedMemory } from '@ipc/shm';
import { leftovers } from './helpers.js';

const PAGES = 4096;
const PAGE = 4096;

/** Page faults this process takes while writing one byte into every page of `buffer`. */
function faultsTouching(buffer: ArrayBuffer): number {
  const bytes = new Uint8Array(buffer);
  const before = process.resourceUsage().minorPageFault;
  for (let at = 0; at < bytes.length; at += PAGE) bytes[at] = 1;
  return process.resourceUsage().minorPageFault - before;
}

describe('SharedMemory populate', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('maps every page at create and at open, so that touching them takes no page fault', () => {
    using plain = SharedMemory.create(uniqueName(), PAGES * PAGE);
    expect(faultsTouching(plain.buffer)).toBeGreaterThanOrEqual(PAGES); // one per page by default

    using created = SharedMemory.create(uniqueName(), PAGES * PAGE, { populate: true });
    expect(faultsTouching(created.buffer)).toBeLessThan(PAGES / 10);
    // Another mapping (as another process would have) of pages that now exist: populated too.
    using opened = SharedMemory.open(created.name, { populate: true });
    expect(faultsTouching(opened.buffer)).toBeLessThan(PAGES / 10);
    using unpopulated = SharedMemory.open(created.name);
    expect(faultsTouching(unpopulated.buffer)).toBeGreaterThanOrEqual(PAGES);
  });
});

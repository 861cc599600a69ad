import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { connect, formatAddress } from '@ipc/socket';
import { jsonChild, type JsonChild } from './fixtures/child-json.js';
import { freshAddress } from './fixtures/servers.js';

const fixtures = join(__dirname, 'fixtures');
const REQUESTS = 200_000;
const MAX_UNWRITTEN = 1024 * 1024; // the default maxUnwrittenBytes

const open: { children: JsonChild[]; removes: (() => void)[] } = { children: [], removes: [] };
afterEach(async () => {
  await Promise.all(open.children.splice(0).map((c) => c.kill()));
  for (const remove of open.removes.splice(0)) remove();
});

function child(script: string, args: string[], nodeFlags: string[] = []): JsonChild {
  const c = jsonChild(process.execPath, [...nodeFlags, join(fixtures, script), ...args]);
  open.children.push(c);
  return c;
}

describe('server reply backpressure', () => {
  it('stops reading a client that never reads its replies, keeps its memory bounded, and serves the others', async () => {
    const { address, remove } = freshAddress('unix');
    open.removes.push(remove);
    const path = (address as { path: string }).path;
    const server = child('reply-flood-server.mjs', [formatAddress(address)], ['--expose-gc']);
    const { heap: heapBefore } = await server.next();

    // A real process floods small requests and never reads a reply.
    const flood = child('reply-flood-client.mjs', [path, String(REQUESTS)]);
    const flooded = await flood.next();

    // Another client is served meanwhile (the flooding one is still connected).
    const good = await connect(formatAddress(address));
    try {
      for (let i = 0; i < 20; i++) {
        expect(await good.request(i, { timeout: 30_000 })).toMatchObject({ ok: true });
      }
    } finally {
      await good.close();
    }

    server.write('stats');
    const stats = await server.next();
    // Without reply backpressure the server reads and answers all 200,000 (each reply then waits in
    // memory): the flood is never blocked and the handler runs 200,000 times.
    expect(flooded).toMatchObject({ blocked: true });
    expect(flooded.sent).toBeLessThan(REQUESTS);
    expect(stats.handled).toBeLessThan(REQUESTS / 4);
    expect(stats.maxUnwritten).toBeLessThanOrEqual(MAX_UNWRITTEN + 128 * 1024);
    expect(stats.maxActive).toBeLessThanOrEqual(1024);
    expect(stats.heap - heapBefore).toBeLessThan(32 * 1024 * 1024);

    // Once the flooding client is gone, the server still serves.
    await flood.kill();
    const again = await connect(formatAddress(address));
    try {
      expect(await again.request('x', { timeout: 30_000 })).toMatchObject({ ok: true });
    } finally {
      await again.close();
    }
  }, 180_000);
});

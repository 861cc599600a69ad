import type { BenchCase, DriverContext, JsonObject, Link, LinkWorkload } from '../adapter.js';
import { encodeSpec, type CaseSpec } from '../process/case-spec.js';
import { peerMain } from '../process/paths.js';
import { TrackedChildren } from '../process/tracked-child.js';
import { runLinkDriver } from './link-driver.js';
import type { Measurement } from './measurement.js';

/** Runs one W1–W3 case in this (driver) process: the adapter's driver side, then the workload. */
export async function runLinkCase(c: BenchCase, spec: CaseSpec): Promise<Measurement> {
  if (c.link === undefined) throw new Error(`${c.name} has no link sides for ${spec.workload}`);
  const workload = spec.workload as LinkWorkload;
  const children = new TrackedChildren();
  const peerArgv = (info: JsonObject = {}): string[] => [peerMain, encodeSpec({ ...spec, info })];
  const ctx: DriverContext = {
    caseName: c.name,
    workload,
    payload: workload === 'W3' ? 'bytes' : 'object',
    dir: spec.dir,
    id: spec.id,
    info: {},
    peerArgv,
    spawnPeer(options = {}) {
      const extra = [...(options.extraStdio ?? [])];
      if (options.serialization !== undefined) extra.push('ipc');
      return children.spawnNode(
        `the ${c.name} peer`,
        peerArgv(options.info),
        ['ignore', 'inherit', 'pipe', ...extra],
        options.serialization,
      );
    },
  };
  let link: Link | undefined;
  try {
    link = await Promise.race([c.link.driver(ctx), children.failure]);
    return await Promise.race([runLinkDriver(link, workload, spec.counts), children.failure]);
  } finally {
    children.finishing();
    if (link !== undefined) await Promise.race([link.close(), new Promise((r) => setTimeout(r, 5000))]);
    await children.reap();
  }
}

import { pathToFileURL } from 'node:url';
import type { BenchCase } from '../adapter.js';

/** Imports an adapter module and returns the named case (throws a one-line error when missing). */
export async function loadCase(modulePath: string, caseName: string): Promise<BenchCase> {
  const mod = (await import(pathToFileURL(modulePath).href)) as { cases?: BenchCase[] };
  const found = mod.cases?.find((c) => c.name === caseName);
  if (found === undefined) throw new Error(`${modulePath} has no case named ${caseName}`);
  return found;
}

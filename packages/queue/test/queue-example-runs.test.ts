import { expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { segments } from './helpers.js';

test('the README example (examples/queue-workers) runs and leaves no segment behind', async () => {
  const script = join(__dirname, '..', '..', '..', 'examples', 'queue-workers', 'index.mjs');
  const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 30_000 });
  expect(stdout).toBe('sum of squares 1..10 = 385\n');
  expect(segments('example-jobs-').concat(segments('example-results-'))).toEqual([]);
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

it('runs the root README example: socket requests answered by a piped worker', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '..', 'index.mjs')]);
  expect(stdout.trim().split('\n')).toEqual([
    '"one" -> 1',
    '"two words" -> 2',
    '"and now three" -> 3',
    '"" -> 0',
    'worker exited with 0',
  ]);
});

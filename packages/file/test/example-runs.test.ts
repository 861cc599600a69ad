import { expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(60_000);

it('runs examples/file-queues (the README example)', () => {
  const out = execFileSync(process.execPath, [join(__dirname, '../../../examples/file-queues/index.mjs')], {
    encoding: 'utf8',
  });
  expect(out.trim().split('\n')).toEqual([
    'spool: {"job":"resize","id":1}',
    'spool: {"job":"email","id":2}',
    'sqlite: {"job":"urgent"} attempt 1',
    'sqlite: {"job":"report"} attempt 1', // already prefetched when "urgent" was nacked
    'sqlite: {"job":"urgent"} attempt 2',
  ]);
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it, jest } from '@jest/globals';
import { describeWithBroker } from './fixtures/broker.js';

jest.setTimeout(30_000); // the root Jest config (projects) ignores the preset's testTimeout

const run = promisify(execFile);
const examples = join(__dirname, '../../../examples');

it('runs examples/mq-jobs (ZeroMQ)', async () => {
  const { stdout } = await run(process.execPath, [join(examples, 'mq-jobs/index.mjs')]);
  expect(stdout).toBe(
    [
      'job 1 resize image 1',
      'job 2 resize image 2',
      'job 3 resize image 3',
      'square of 12 = 144',
      'error ERR_REMOTE not a number',
      '',
    ].join('\n'),
  );
});

describeWithBroker('examples/mq-rabbit', () => {
  it('runs (RabbitMQ)', async () => {
    const { stdout } = await run(process.execPath, [join(examples, 'mq-rabbit/index.mjs')]);
    expect(stdout).toBe(['job 1', 'job 2', 'job 3', 'log disk full', 'reply 42', ''].join('\n'));
  });
});

// A job queue shared by three worker processes: the parent puts jobs, the workers get them (with ack,
// so a worker that crashes gives its job back), and the parent waits with join() until all are done.
import { fork } from 'node:child_process';
import { createQueue, openQueue } from '@ipc/queue';

if (process.argv[2] === 'worker') {
  const jobs = openQueue(process.argv[3]);
  const results = openQueue(process.argv[4]);
  for (;;) {
    const job = await jobs.recvDelivery(); // same as jobs.get({ ack: true })
    if (job.message === null) {
      await job.ack(); // settled: close would give it back otherwise
      break; // no more work
    }
    await results.put({ n: job.message.n, square: job.message.n ** 2 });
    await job.ack();
    jobs.taskDone();
  }
  await jobs.close();
  await results.close();
} else {
  const jobs = createQueue(`example-jobs-${process.pid}`); // /dev/shm/example-jobs-<pid>, mode 0600
  const results = createQueue(`example-results-${process.pid}`);
  const workers = [0, 1, 2].map(() => fork(import.meta.filename, ['worker', jobs.name, results.name]));
  for (let n = 1; n <= 10; n++) await jobs.put({ n });
  await jobs.join(); // every job got and taskDone()'d
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (await results.get()).square;
  for (let i = 0; i < workers.length; i++) await jobs.put(null);
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  console.log(`sum of squares 1..10 = ${sum}`);
  await jobs.close(); // the last process to close a queue removes it
  await results.close();
}

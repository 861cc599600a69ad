// RabbitMQ: a work queue (send resolves on the broker's confirm; a message is acknowledged when
// the loop asks for the next one), a topic exchange, and request/reply over direct reply-to.
import * as amqp from '@ipc/mq/amqp';

const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
const name = `example-jobs-${process.pid}`;
try {
  const jobs = await conn.queue(name, { durable: true });
  const tx = jobs.sender({ endOnClose: true });
  for (let id = 1; id <= 3; id++) await tx.send({ id });
  await tx.close();
  const rx = await jobs.receiver({ prefetch: 10, endAfter: 1 });
  for await (const job of rx) console.log('job', job.id);
  await rx.close();
  await jobs.delete();

  const logs = await conn.exchange(`example-logs-${process.pid}`, 'topic', {
    durable: false,
    autoDelete: true,
  });
  const errors = await logs.subscribe('*.error');
  await logs.publish('db.info', 'connected');
  await logs.publish('db.error', 'disk full');
  console.log('log', await errors.recv({ timeout: 5000 }));
  await errors.close();

  const svc = await conn.reply(`example-rpc-${process.pid}`, (n) => n + 1, { autoDelete: true });
  console.log('reply', await conn.request(`example-rpc-${process.pid}`, 41, { timeout: 5000 }));
  await svc.close();
} finally {
  await conn.close();
}

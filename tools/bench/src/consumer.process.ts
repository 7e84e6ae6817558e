import 'reflect-metadata';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Pool } from 'pg';
import { NatsConnectionHolder } from '@olist/service-kit';
import { benchConsumer, CommitClock, CONSUMER_CONFIG_ENV, ConsumerCommand, ConsumerConfig, ConsumerReport } from './consumer-side';

/**
 * The bench's consumer in a process of its own, started by ChildProcessConsumer: it opens the
 * connections a consuming service would (NATS as the service kit does, a pg pool), runs the
 * durable consumer and reports over IPC. It stops when told to or when its parent goes away.
 */
async function main(): Promise<void> {
  const send = (report: ConsumerReport) => process.send?.(report);
  const config = JSON.parse(process.env[CONSUMER_CONFIG_ENV] ?? 'null') as ConsumerConfig | null;
  if (!config || !process.send) throw new Error(`started without ${CONSUMER_CONFIG_ENV} or an IPC channel`);

  const nats = await NatsConnectionHolder.open({ url: config.natsUrl, name: `olist-bench-consumer-${process.pid}` });
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  const clock = new CommitClock(config.expected);
  const consumer = benchConsumer(config, pool, jetstream(nats.connection), await jetstreamManager(nats.connection), clock);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(progress);
      await consumer.stop().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await nats.onApplicationShutdown().catch(() => undefined);
      process.exit(0);
    })());
  const progress = setInterval(() => send({ type: 'progress', applied: clock.times.size }), 100);
  process.on('disconnect', () => void stop());
  // Ctrl-C reaches the whole process group: the parent cleans up and stops this process itself.
  process.on('SIGINT', () => undefined);
  process.on('message', (command: ConsumerCommand) => {
    if (command.type === 'stop') void stop();
    if (command.type === 'times') send({ type: 'times', ids: [...clock.times.keys()], times: Float64Array.from(clock.times.values()) });
  });
  void clock.done.then((at) => send({ type: 'done', applied: clock.times.size, at }));

  await consumer.ensure();
  consumer.start();
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.send?.({ type: 'error', message } satisfies ConsumerReport);
  process.stderr.write(`bench consumer process: ${message}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { DurableConsumer, ensureStreams, OutboxRelay, PgTransactor, Topology } from '@olist/messaging';
import { recordEffects } from './messaging-fixture';

/**
 * A relay or a consumer in a process of its own, so tests can kill it with SIGKILL at a chosen
 * point. Configured by environment: ROLE (relay|consumer), DATABASE_URL, NATS_URL, SCHEMA, PREFIX,
 * CRASH (after-publish|after-commit), BATCH, CONSUMER, INSTANCE, ACK_WAIT_MS.
 */
async function main(): Promise<void> {
  const env = process.env;
  const schema = env['SCHEMA'] ?? 'msgtest';
  const topology = new Topology(env['PREFIX'] ?? '');
  const nc = await connect({ servers: env['NATS_URL'], maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, topology, ['sales']);
  const crash = (): void => {
    process.kill(process.pid, 'SIGKILL');
  };
  const batch = Number(env['BATCH'] ?? 500);

  if (env['ROLE'] === 'relay') {
    const relay = new OutboxRelay({
      schema,
      database: { connectionString: env['DATABASE_URL'] },
      js,
      topology,
      batchSize: batch,
      hooks: env['CRASH'] === 'after-publish' ? { afterPublish: crash } : undefined,
    });
    relay.start();
  } else {
    const pool = new Pool({ connectionString: env['DATABASE_URL'], max: 4 });
    const consumer = new DurableConsumer(
      {
        name: env['CONSUMER'] ?? 'test-consumer',
        stream: 'sales',
        subjects: ['olist.sales.>'],
        batchSize: batch,
        ackWaitMs: Number(env['ACK_WAIT_MS'] ?? 30_000),
        handler: (messages, tx) => recordEffects(tx, schema, messages.map((m) => m.eventId), env['INSTANCE'] ?? 'worker'),
      },
      { schema, transactor: new PgTransactor(pool), js, jsm, topology, hooks: env['CRASH'] === 'after-commit' ? { afterCommit: crash } : undefined },
    );
    await consumer.ensure();
    consumer.start();
  }
  process.stdout.write('worker ready\n');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

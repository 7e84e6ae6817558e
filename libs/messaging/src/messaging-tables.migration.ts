import type { MigrationInterface, QueryRunner } from 'typeorm';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * One row per event of the outbox's rows (a batch row's array taken apart). `envelopes` is a row's
 * events as a `json` array, from its `envelope` column: JSON_ENVELOPES while that is `json`,
 * TEXT_ENVELOPES since it is `text` (a batch row told by its first character, as the relay tells it,
 * so that each body is parsed once).
 */
const OUTBOX_EVENTS_VIEW = (s: string, envelopes: string) => `
  CREATE VIEW ${s}.outbox_events AS
  SELECT o.position, e.seq, o.subject, e.envelope ->> 'id' AS id, e.envelope ->> 'type' AS type,
         (e.envelope ->> 'version')::int AS version, e.envelope ->> 'aggregateId' AS aggregate_id,
         e.envelope, o.created_at, o.published_at
    FROM ${s}.outbox o
   CROSS JOIN LATERAL json_array_elements(${envelopes})
         WITH ORDINALITY AS e(envelope, seq)`;
const JSON_ENVELOPES = `CASE WHEN json_typeof(o.envelope) = 'array' THEN o.envelope ELSE json_build_array(o.envelope) END`;
const TEXT_ENVELOPES = `CASE WHEN left(o.envelope, 1) = '[' THEN o.envelope::json ELSE json_build_array(o.envelope::json) END`;

/** The outbox's envelopes compressed with LZ4 where the server has it. */
const LZ4 = (s: string) => `
  DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) THEN
      ALTER TABLE ${s}.outbox ALTER COLUMN envelope SET COMPRESSION lz4;
    END IF;
  END $$`;

/**
 * The outbox, inbox and dead-letter tables every service keeps in its own schema.
 * outbox: events written in the same transaction as the aggregate change, published by the relay
 *   (the envelope is kept verbatim, because the relay sends it as it is: `json` here, `text` since
 *   messagingOutboxTextMigration).
 * inbox: ids of the events a consumer has applied, written in the consumer's own transaction.
 * dead_letter: messages that failed too often, with their last error, until re-driven.
 */
export function messagingTablesMigration(schema: string): new () => MigrationInterface {
  const s = ident(schema);
  return class MessagingTables implements MigrationInterface {
    readonly name = 'MessagingTables1764115200000';

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`
        CREATE TABLE ${s}.outbox (
          position      bigserial PRIMARY KEY,
          id            uuid NOT NULL UNIQUE,
          subject       text NOT NULL,
          type          text NOT NULL,
          version       integer NOT NULL,
          aggregate_id  text NOT NULL,
          correlation_id text NOT NULL,
          causation_id  text,
          envelope      json NOT NULL,
          created_at    timestamptz NOT NULL DEFAULT now(),
          published_at  timestamptz
        )`);
      await runner.query(
        `CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (position) WHERE published_at IS NULL`,
      );
      await runner.query(`
        CREATE TABLE ${s}.inbox (
          consumer      text NOT NULL,
          event_id      text NOT NULL,
          processed_at  timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer, event_id)
        )`);
      await runner.query(`
        CREATE TABLE ${s}.dead_letter (
          id            bigserial PRIMARY KEY,
          consumer      text NOT NULL,
          stream        text NOT NULL,
          subject       text NOT NULL,
          stream_seq    bigint NOT NULL,
          event_id      text,
          headers       jsonb NOT NULL DEFAULT '{}'::jsonb,
          data          bytea NOT NULL,
          deliveries    integer NOT NULL,
          last_error    text NOT NULL,
          created_at    timestamptz NOT NULL DEFAULT now(),
          redrive_requested_at timestamptz,
          redriven_at   timestamptz,
          redrive_attempts integer NOT NULL DEFAULT 0,
          UNIQUE (consumer, stream, stream_seq)
        )`);
      await runner.query(
        `CREATE INDEX dead_letter_redrive_idx ON ${s}.dead_letter (consumer) WHERE redrive_requested_at IS NOT NULL AND redriven_at IS NULL`,
      );
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE IF EXISTS ${s}.dead_letter`);
      await runner.query(`DROP TABLE IF EXISTS ${s}.inbox`);
      await runner.query(`DROP TABLE IF EXISTS ${s}.outbox`);
    }
  };
}

/**
 * Batch messages: an outbox row may hold a JSON array of envelopes of one subject, published as
 * one JetStream message (`events` = how many; 1 for a single envelope). `outbox_events` shows
 * one row per event (`seq` = its place in the row) whatever the row holds.
 */
export function messagingEventBatchesMigration(schema: string): new () => MigrationInterface {
  const s = ident(schema);
  return class MessagingEventBatches implements MigrationInterface {
    readonly name = 'MessagingEventBatches1764900000000';

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`ALTER TABLE ${s}.outbox ADD COLUMN events integer NOT NULL DEFAULT 1`);
      await runner.query(`ALTER TABLE ${s}.outbox ALTER COLUMN aggregate_id DROP NOT NULL`);
      await runner.query(OUTBOX_EVENTS_VIEW(s, JSON_ENVELOPES));
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP VIEW IF EXISTS ${s}.outbox_events`);
      await runner.query(`DELETE FROM ${s}.outbox WHERE events > 1 OR json_typeof(envelope::json) = 'array'`);
      await runner.query(`ALTER TABLE ${s}.outbox DROP COLUMN events`);
    }
  };
}

/**
 * The outbox's envelopes compressed with LZ4 instead of PostgreSQL's default pglz, where the
 * server supports it: a batch row holds hundreds of envelopes (tens to hundreds of kB), and pglz
 * spent several times LZ4's CPU compressing them on insert and decompressing them for the relay,
 * for about the same size. Applies to rows written from now on.
 */
export function messagingOutboxCompressionMigration(schema: string): new () => MigrationInterface {
  const s = ident(schema);
  return class MessagingOutboxCompression implements MigrationInterface {
    readonly name = 'MessagingOutboxCompression1764830000000';

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(LZ4(s));
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`ALTER TABLE ${s}.outbox ALTER COLUMN envelope SET COMPRESSION DEFAULT`);
    }
  };
}

/**
 * The outbox's envelopes kept as `text` instead of `json`: every body is written by the outbox
 * (JSON.stringify) or by SQL's own JSON functions, and the relay sends it as it is, so checking
 * the syntax of every byte on insert (several hundred MB per full load) bought nothing.
 * `outbox_events` parses the bodies when it is read. Down checks them again as `json`.
 */
export function messagingOutboxTextMigration(schema: string): new () => MigrationInterface {
  const s = ident(schema);
  return class MessagingOutboxText implements MigrationInterface {
    readonly name = 'MessagingOutboxText1764950000000';

    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP VIEW ${s}.outbox_events`);
      await runner.query(`ALTER TABLE ${s}.outbox ALTER COLUMN envelope TYPE text`);
      await runner.query(LZ4(s));
      await runner.query(OUTBOX_EVENTS_VIEW(s, TEXT_ENVELOPES));
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP VIEW ${s}.outbox_events`);
      await runner.query(`ALTER TABLE ${s}.outbox ALTER COLUMN envelope TYPE json USING envelope::json`);
      await runner.query(LZ4(s));
      await runner.query(OUTBOX_EVENTS_VIEW(s, JSON_ENVELOPES));
    }
  };
}

/** The messaging migrations of a service's schema, oldest first: put them before its own. */
export function messagingMigrations(schema: string): (new () => MigrationInterface)[] {
  return [
    messagingTablesMigration(schema),
    messagingEventBatchesMigration(schema),
    messagingOutboxCompressionMigration(schema),
    messagingOutboxTextMigration(schema),
  ];
}

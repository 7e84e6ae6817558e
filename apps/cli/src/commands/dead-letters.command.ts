import { SERVICES } from '@olist/service-kit';
import { existingSchemas, withDatabase } from '../platform-clients';

interface DeadLetterRow {
  id: string;
  consumer: string;
  stream: string;
  subject: string;
  stream_seq: string;
  event_id: string | null;
  deliveries: number;
  last_error: string;
  created_at: Date;
  redrive_requested_at: Date | null;
}

/** `olist dead-letters [--json]`: messages that failed too often, per service, not yet re-driven. */
export async function listDeadLettersCommand(options: { json?: boolean; all?: boolean }, out: (line: string) => void = console.log): Promise<number> {
  const letters = await withDatabase(async (db) => {
    const present = await existingSchemas(db, SERVICES.map((s) => s.schemas[0] as string));
    const found: (DeadLetterRow & { service: string })[] = [];
    for (const service of SERVICES) {
      const schema = service.schemas[0] as string;
      if (!present.has(schema)) continue;
      const { rows } = await db.query<DeadLetterRow>(
        `SELECT id::text, consumer, stream, subject, stream_seq::text, event_id, deliveries, last_error, created_at, redrive_requested_at
           FROM "${schema}".dead_letter ${options.all ? '' : 'WHERE redriven_at IS NULL'} ORDER BY id`,
      );
      found.push(...rows.map((r) => ({ ...r, service: service.name })));
    }
    return found;
  });
  if (options.json) {
    out(
      JSON.stringify({
        deadLetters: letters.map((l) => ({
          id: `${l.service}:${l.id}`,
          service: l.service,
          consumer: l.consumer,
          stream: l.stream,
          subject: l.subject,
          streamSequence: Number(l.stream_seq),
          eventId: l.event_id,
          deliveries: l.deliveries,
          lastError: l.last_error,
          createdAt: l.created_at.toISOString(),
          redriveRequested: l.redrive_requested_at !== null,
        })),
      }),
    );
  } else if (letters.length === 0) {
    out('no dead letters');
  } else {
    for (const l of letters) {
      out(`${`${l.service}:${l.id}`.padEnd(16)} ${l.consumer} ${l.subject} #${l.stream_seq} after ${l.deliveries} deliveries: ${l.last_error}`);
    }
    out(`\nre-drive one with: npx olist dead-letters redrive <id>`);
  }
  return 0;
}

/**
 * `olist dead-letters redrive ID`: asks the owning service to apply the message again through its
 * handler and inbox, and waits for the outcome.
 */
export async function redriveDeadLetterCommand(id: string, options: { timeoutMs?: number }, out: (line: string) => void = console.log): Promise<number> {
  const match = /^([a-z]+):(\d+)$/.exec(id);
  const service = SERVICES.find((s) => s.name === match?.[1]);
  if (!match || !service) {
    throw new Error(`"${id}" is not a dead-letter id: expected <service>:<number>, e.g. sales:12 (see olist dead-letters)`);
  }
  const schema = service.schemas[0] as string;
  return withDatabase(async (db) => {
    const requested = await db.query(
      `UPDATE "${schema}".dead_letter SET redrive_requested_at = now() WHERE id = $1 AND redriven_at IS NULL RETURNING consumer`,
      [match[2]],
    );
    if (requested.rowCount === 0) throw new Error(`dead letter ${id} does not exist or was already re-driven`);
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const { rows } = await db.query<{ redriven_at: Date | null; redrive_requested_at: Date | null; last_error: string }>(
        `SELECT redriven_at, redrive_requested_at, last_error FROM "${schema}".dead_letter WHERE id = $1`,
        [match[2]],
      );
      const row = rows[0];
      if (row?.redriven_at) {
        out(`dead letter ${id} re-driven: applied by ${service.name}`);
        return 0;
      }
      if (row && !row.redrive_requested_at) {
        out(`dead letter ${id} failed again: ${row.last_error}`);
        return 1;
      }
      if (Date.now() > deadline) {
        out(`dead letter ${id}: ${service.name} did not pick up the request in time (is it running?); the request stays queued`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  });
}

import type { SqlTx } from '@olist/messaging';

/**
 * Records, in the caller's transaction, that the inputs of the segments changed (orders, or the
 * persons their customer ids map to): the recomputer picks it up once the inputs stop moving.
 * One row, updated last in the writer's transaction so its lock is held only until the commit.
 */
export async function markSegmentsDirty(tx: SqlTx): Promise<void> {
  await tx.query(
    `INSERT INTO customer.segment_work AS w (id, generation, touched_at) VALUES (true, 1, clock_timestamp())
     ON CONFLICT (id) DO UPDATE SET generation = w.generation + 1, touched_at = clock_timestamp()`,
  );
}

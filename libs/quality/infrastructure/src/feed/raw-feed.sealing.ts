import type { PayloadTransform } from '@olist/messaging';
import type { PiiCipher } from '@olist/pii';
import { IMPORT_PERSONAL_COLUMNS, IMPORT_SUBJECTS } from '@olist/quality-contracts';

type Envelope = { payload?: { rows?: { values?: Record<string, string | null> }[] } };

/** Seals the given columns of every row of a raw-feed envelope; the column name is the associated text. */
export function sealRawFeedEnvelope(cipher: PiiCipher, columns: readonly string[]): PayloadTransform {
  return (text) => {
    const envelope = JSON.parse(text) as Envelope;
    const rows = envelope.payload?.rows;
    if (!Array.isArray(rows)) throw new Error('raw-feed envelope without rows');
    for (const row of rows) {
      const values = row.values;
      if (!values) throw new Error('raw-feed row without values');
      for (const column of columns) {
        const value = values[column];
        if (typeof value === 'string') values[column] = cipher.seal(value, column);
      }
    }
    return JSON.stringify(envelope);
  };
}

/**
 * The relay transforms of the quality service: the personal columns of the customers and order
 * reviews feeds are sealed as the rows leave the outbox, so no JetStream message carries them in
 * clear. (The outbox sits beside the staged files in the quality schema, which hold them anyway.)
 */
export function rawFeedSealing(cipher: PiiCipher): ReadonlyMap<string, PayloadTransform> {
  return new Map(
    Object.entries(IMPORT_PERSONAL_COLUMNS).map(([file, columns]) => [
      IMPORT_SUBJECTS[file as keyof typeof IMPORT_PERSONAL_COLUMNS],
      sealRawFeedEnvelope(cipher, columns),
    ]),
  );
}

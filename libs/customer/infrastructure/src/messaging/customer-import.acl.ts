import { type CustomerAccount, Review, customerAccount } from '@olist/customer-domain';
import { type PiiCipher, openSealedFields } from '@olist/pii';
import type { ImportCustomersV1, ImportOrderReviewsV1 } from '@olist/quality-contracts';
import { IMPORT_PERSONAL_COLUMNS, IMPORT_SUBJECTS } from '@olist/quality-contracts';

/**
 * Anti-corruption layer between the raw feed (olist.import.{customers,order_reviews}.v1: every
 * CSV column as text, the personal ones sealed under OLIST_FEED_KEYS) and the customer model. The
 * personal values are unsealed here, in memory only. A row that cannot be read — including one
 * whose sealed value does not open — is refused with its line and a reason that never quotes a
 * personal value (zip prefix, city, title, message).
 */

/** Code of a row refused because a personal value did not unseal (wrong or missing key, tampered, in clear). */
export const FEED_VALUE_UNREADABLE = 'CUSTOMER_IMPORT.SEALED_VALUE_UNREADABLE';

export const CUSTOMER_IMPORT_SUBJECTS = [IMPORT_SUBJECTS.customers, IMPORT_SUBJECTS.order_reviews] as const;

/** Where a row came from. */
export interface RowSource {
  readonly loadId: string;
  readonly file: string;
  readonly line: number;
}

export interface ImportRefusal {
  readonly source: RowSource;
  readonly entityId: string;
  readonly code: string;
  readonly message: string;
}

export type CustomerImportCommand =
  | { readonly kind: 'register-account'; readonly uniqueId: string; readonly account: CustomerAccount; readonly source: RowSource; readonly loadedAt: string }
  | { readonly kind: 'submit-review'; readonly review: Review; readonly source: RowSource };

export interface TranslatedBatch {
  readonly commands: CustomerImportCommand[];
  readonly refusals: ImportRefusal[];
}

type Values = Readonly<Record<string, string | null>>;

const text = (values: Values, field: string) => values[field]?.trim() ?? '';

/**
 * Translates one raw-feed batch of a subject customer reads, unsealing its personal columns with
 * `feed`; batches of other subjects translate to nothing.
 */
export function translateCustomerImportBatch(
  subject: string,
  batch: ImportCustomersV1 | ImportOrderReviewsV1,
  loadedAt: string,
  feed: PiiCipher,
): TranslatedBatch {
  const commands: CustomerImportCommand[] = [];
  const refusals: ImportRefusal[] = [];
  const sealed: readonly string[] =
    subject === IMPORT_SUBJECTS.customers ? IMPORT_PERSONAL_COLUMNS.customers : subject === IMPORT_SUBJECTS.order_reviews ? IMPORT_PERSONAL_COLUMNS.order_reviews : [];
  for (const row of batch.rows) {
    const source: RowSource = { loadId: batch.loadId, file: batch.file, line: row.line };
    const refuse = (entityId: string, code: string, detail?: string) =>
      refusals.push({ source, entityId: entityId || `line ${row.line}`, code, message: `${batch.file} line ${row.line}: refused (${detail ?? code})` });
    const opened = openSealedFields(feed, row.values as Values, sealed);
    if (!opened.ok) {
      const raw = row.values as Values;
      const entityId = subject === IMPORT_SUBJECTS.customers ? text(raw, 'customer_id') : [text(raw, 'review_id'), text(raw, 'order_id')].filter((v) => v !== '').join(':');
      refuse(entityId, FEED_VALUE_UNREADABLE, opened.reason);
      continue;
    }
    const values = opened.values;
    if (subject === IMPORT_SUBJECTS.customers) {
      const customerId = text(values, 'customer_id');
      const uniqueId = text(values, 'customer_unique_id');
      const account = customerAccount({
        customerUniqueId: uniqueId,
        customerId,
        zipPrefix: values['customer_zip_code_prefix'] ?? '',
        city: values['customer_city'] ?? '',
        state: values['customer_state'] ?? '',
      });
      if (!account.ok) refuse(customerId, account.error.code);
      else if (uniqueId === '') refuse(customerId, 'CUSTOMER.ID_EMPTY');
      else commands.push({ kind: 'register-account', uniqueId, account: account.value, source, loadedAt });
    } else if (subject === IMPORT_SUBJECTS.order_reviews) {
      const review = Review.submit({
        reviewId: values['review_id'] ?? '',
        orderId: values['order_id'] ?? '',
        score: values['review_score'] ?? '',
        title: values['review_comment_title'] ?? null,
        message: values['review_comment_message'] ?? null,
        createdAt: values['review_creation_date'] ?? '',
        answeredAt: values['review_answer_timestamp'] ?? null,
      });
      if (review.ok) commands.push({ kind: 'submit-review', review: review.value, source });
      else refuse([text(values, 'review_id'), text(values, 'order_id')].filter((v) => v !== '').join(':'), review.error.code);
    }
  }
  return { commands, refusals };
}

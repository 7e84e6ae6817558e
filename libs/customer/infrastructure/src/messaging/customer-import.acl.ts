import { type CustomerAccount, Review, customerAccount } from '@olist/customer-domain';
import type { ImportCustomersV1, ImportOrderReviewsV1 } from '@olist/quality-contracts';
import { IMPORT_SUBJECTS } from '@olist/quality-contracts';

/**
 * Anti-corruption layer between the raw feed (olist.import.{customers,order_reviews}.v1: every
 * CSV column as text) and the customer model. A row that cannot be read is refused with its line
 * and a reason that never quotes a personal value (zip prefix, city, title, message).
 */

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

/** Translates one raw-feed batch of a subject customer reads; batches of other subjects translate to nothing. */
export function translateCustomerImportBatch(subject: string, batch: ImportCustomersV1 | ImportOrderReviewsV1, loadedAt: string): TranslatedBatch {
  const commands: CustomerImportCommand[] = [];
  const refusals: ImportRefusal[] = [];
  for (const row of batch.rows) {
    const values = row.values as Values;
    const source: RowSource = { loadId: batch.loadId, file: batch.file, line: row.line };
    const refuse = (entityId: string, code: string) =>
      refusals.push({ source, entityId: entityId || `line ${row.line}`, code, message: `${batch.file} line ${row.line}: refused (${code})` });
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

import { PiiCipherError, type PiiCipher, type PiiCipherErrorCode } from './pii-cipher';

export type FieldValues = Readonly<Record<string, string | null>>;

export type OpenedFields =
  | { readonly ok: true; readonly values: FieldValues }
  | { readonly ok: false; readonly column: string; readonly code: PiiCipherErrorCode; readonly reason: string };

/**
 * A copy of `values` with the sealed `columns` opened (null stays null; each column's name is its
 * associated text). The first column that does not open is reported with the cipher's code and a
 * reason that names the column and never quotes the value.
 */
export function openSealedFields(cipher: PiiCipher, values: FieldValues, columns: readonly string[]): OpenedFields {
  const opened: Record<string, string | null> = { ...values };
  for (const column of columns) {
    const value = values[column] ?? null;
    try {
      opened[column] = cipher.unsealNullable(value, column);
    } catch (error) {
      if (!(error instanceof PiiCipherError)) throw error;
      return { ok: false, column, code: error.code, reason: `${column} cannot be unsealed (${error.code}: ${error.message})` };
    }
  }
  return { ok: true, values: opened };
}

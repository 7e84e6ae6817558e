import { PiiCipher, type PiiKey, type PiiKeyRing, parsePiiKeys as parseKeys, publicLocalKey } from '@olist/pii';

/**
 * Encryption at rest of the customer context's personal data (zip prefix, city, review title and
 * message): the shared XChaCha20-Poly1305 cipher of `@olist/pii` under the customer's own keys.
 */

export { LOCAL_ONLY_KEY_ID, PiiCipher, PiiCipherError, keyIdOf, type PiiKey } from '@olist/pii';

/** The environment variable: `keyId:base64key[,keyId:base64key…]`; the first key writes, all keys read. */
export const PII_KEYS_ENV = 'CUSTOMER_PII_KEYS';

/** The built-in key for local runs and tests (id `local-only-insecure`): derived from a public text, so it protects nothing. */
export function localOnlyKey(): PiiKey {
  return publicLocalKey('olist customer pii - local only, not a secret');
}

export const CUSTOMER_PII_KEY_RING: PiiKeyRing = { variable: PII_KEYS_ENV, protects: 'personal data', localOnlyKey };

/** Parses CUSTOMER_PII_KEYS. */
export function parsePiiKeys(text: string): PiiKey[] {
  return parseKeys(text, PII_KEYS_ENV);
}

/** From CUSTOMER_PII_KEYS; when it is unset or empty, the local-only key, with a warning through `log`. */
export function customerPiiCipherFromEnv(env: Readonly<Record<string, string | undefined>>, log: { warn(message: string): void }): PiiCipher {
  return PiiCipher.fromEnv(CUSTOMER_PII_KEY_RING, env, log);
}

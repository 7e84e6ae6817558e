import { PiiCipher, type PiiKeyRing, publicLocalKey } from './pii-cipher';

/** The environment variable of the raw-feed keys: `keyId:base64key[,keyId:base64key…]`; the first key seals, all keys unseal. */
export const FEED_KEYS_ENV = 'OLIST_FEED_KEYS';

/** Key id of the built-in raw-feed key used when OLIST_FEED_KEYS is unset. LOCAL USE ONLY: the key is public. */
export const FEED_LOCAL_ONLY_KEY_ID = 'feed-local-only-insecure';

/**
 * The keys sealing the personal fields of the raw feed (`olist.import.*`): the publisher (quality)
 * seals with the first, the consuming contexts unseal with any. Every service of one deployment
 * must be given the same value.
 */
export const FEED_KEY_RING: PiiKeyRing = {
  variable: FEED_KEYS_ENV,
  protects: 'personal data on the raw feed',
  localOnlyKey: () => publicLocalKey('olist raw feed pii - local only, not a secret', FEED_LOCAL_ONLY_KEY_ID),
};

/** The raw-feed cipher of this process, from OLIST_FEED_KEYS (the public local-only key, with a warning, when unset). */
export function feedCipherFromEnv(env: Readonly<Record<string, string | undefined>>, log: { warn(message: string): void }): PiiCipher {
  return PiiCipher.fromEnv(FEED_KEY_RING, env, log);
}

import { PiiCipher, PiiCipherError, type PiiKeyRing } from '@olist/pii';
import { ConfigError } from './config-error';

/**
 * The cipher of a personal-data key ring (e.g. OLIST_FEED_KEYS, CUSTOMER_PII_KEYS) from the
 * environment. Unset: the ring's public local-only key, with a warning through `log`. Malformed:
 * a ConfigError naming the variable (never quoting a key), so the service stops at boot.
 */
export function loadPiiCipher(ring: PiiKeyRing, env: Readonly<Record<string, string | undefined>>, log: { warn(message: string): void }): PiiCipher {
  try {
    return PiiCipher.fromEnv(ring, env, log);
  } catch (error) {
    if (error instanceof PiiCipherError && error.code === 'PII.KEYS_INVALID') {
      throw new ConfigError([{ variable: ring.variable, message: error.message.replace(`${ring.variable}: `, '') }]);
    }
    throw error;
  }
}

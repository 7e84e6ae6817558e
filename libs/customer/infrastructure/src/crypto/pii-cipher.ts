import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of the customer context's personal data (zip prefix, city, review title and
 * message) with AES-256-GCM.
 *
 * A stored value is one buffer: format version (1 byte), key id length (1 byte), key id (UTF-8),
 * IV (12 bytes), authentication tag (16 bytes), ciphertext. The key id travels with every value,
 * so values written under an older key stay readable after rotation. An optional associated
 * text (e.g. the column and row id) is authenticated, not stored: a value copied to another row
 * or column fails to decrypt.
 */

/** The environment variable: `keyId:base64key[,keyId:base64key…]`; the first key writes, all keys read. */
export const PII_KEYS_ENV = 'CUSTOMER_PII_KEYS';

/** Key id of the built-in key used when CUSTOMER_PII_KEYS is unset. LOCAL USE ONLY: the key is public. */
export const LOCAL_ONLY_KEY_ID = 'local-only-insecure';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface PiiKey {
  readonly id: string;
  readonly key: Buffer;
}

export class PiiCipherError extends Error {
  constructor(
    readonly code: 'PII.KEYS_INVALID' | 'PII.UNKNOWN_KEY' | 'PII.MALFORMED' | 'PII.TAMPERED',
    message: string,
  ) {
    super(message);
    this.name = 'PiiCipherError';
  }
}

/** Parses `keyId:base64key[,keyId:base64key…]`. Throws PII.KEYS_INVALID on any malformed entry (never echoing a key). */
export function parsePiiKeys(text: string): PiiKey[] {
  const keys: PiiKey[] = [];
  for (const entry of text.split(',').map((e) => e.trim())) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? entry : entry.slice(0, colon);
    if (colon < 0 || !KEY_ID.test(id)) {
      throw new PiiCipherError('PII.KEYS_INVALID', `${PII_KEYS_ENV}: entry ${keys.length + 1} is not keyId:base64key`);
    }
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES) {
      throw new PiiCipherError('PII.KEYS_INVALID', `${PII_KEYS_ENV}: key ${id} is not ${KEY_BYTES} bytes of base64`);
    }
    if (keys.some((k) => k.id === id)) throw new PiiCipherError('PII.KEYS_INVALID', `${PII_KEYS_ENV}: key id ${id} repeated`);
    keys.push({ id, key });
  }
  return keys;
}

/** The built-in key for local runs and tests: derived from a public text, so it protects nothing. */
export function localOnlyKey(): PiiKey {
  return { id: LOCAL_ONLY_KEY_ID, key: createHash('sha256').update('olist customer pii - local only, not a secret').digest() };
}

export class PiiCipher {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly writer: PiiKey;

  constructor(keys: readonly PiiKey[]) {
    if (keys.length === 0) throw new PiiCipherError('PII.KEYS_INVALID', 'at least one key is needed');
    this.writer = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** From CUSTOMER_PII_KEYS; when it is unset or empty, the local-only key, with a warning through `log`. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>, log: { warn(message: string): void }): PiiCipher {
    const text = env[PII_KEYS_ENV]?.trim();
    if (!text) {
      log.warn(
        `${PII_KEYS_ENV} is not set: personal data is encrypted with the built-in key "${LOCAL_ONLY_KEY_ID}", ` +
          'which is public. Set it outside local development.',
      );
      return new PiiCipher([localOnlyKey()]);
    }
    return new PiiCipher(parsePiiKeys(text));
  }

  /** The id of the key new values are written with. */
  get writeKeyId(): string {
    return this.writer.id;
  }

  encrypt(plain: string, associated = ''): Buffer {
    const id = Buffer.from(this.writer.id, 'utf8');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.writer.key, iv);
    cipher.setAAD(Buffer.from(associated, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id, iv, cipher.getAuthTag(), body]);
  }

  decrypt(stored: Buffer, associated = ''): string {
    const { keyId, iv, tag, body } = split(stored);
    const key = this.byId.get(keyId);
    if (!key) throw new PiiCipherError('PII.UNKNOWN_KEY', `no key with id ${keyId} is configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new PiiCipherError('PII.TAMPERED', `a value under key ${keyId} failed authentication`);
    }
  }

  encryptNullable(plain: string | null, associated = ''): Buffer | null {
    return plain === null ? null : this.encrypt(plain, associated);
  }

  decryptNullable(stored: Buffer | null, associated = ''): string | null {
    return stored === null ? null : this.decrypt(stored, associated);
  }

  /**
   * A keyed hash (HMAC-SHA256) of a plain value, to tell whether a value changed without
   * decrypting. Its key is derived from the write key, so after a rotation every value counts as
   * changed once (and is re-encrypted). `purpose` (e.g. the column) separates equal values of
   * different fields.
   */
  keyedHash(plain: string, purpose: string): Buffer {
    return createHmac('sha256', this.hashKey).update(`${purpose}\u0000${plain}`, 'utf8').digest();
  }

  keyedHashNullable(plain: string | null, purpose: string): Buffer | null {
    return plain === null ? null : this.keyedHash(plain, purpose);
  }

  private get hashKey(): Buffer {
    return createHmac('sha256', this.writer.key).update('olist customer pii keyed hash v1').digest();
  }

  /** True when `stored` was written with another key than the current write key (to re-encrypt after a rotation). */
  needsRotation(stored: Buffer): boolean {
    return keyIdOf(stored) !== this.writer.id;
  }
}

/** The key id recorded in a stored value. */
export function keyIdOf(stored: Buffer): string {
  return split(stored).keyId;
}

function split(stored: Buffer): { keyId: string; iv: Buffer; tag: Buffer; body: Buffer } {
  if (stored.length < 2 || stored[0] !== FORMAT_VERSION) throw new PiiCipherError('PII.MALFORMED', 'not an encrypted value');
  const idEnd = 2 + stored[1];
  if (stored.length < idEnd + IV_BYTES + TAG_BYTES) throw new PiiCipherError('PII.MALFORMED', 'encrypted value is truncated');
  return {
    keyId: stored.subarray(2, idEnd).toString('utf8'),
    iv: stored.subarray(idEnd, idEnd + IV_BYTES),
    tag: stored.subarray(idEnd + IV_BYTES, idEnd + IV_BYTES + TAG_BYTES),
    body: stored.subarray(idEnd + IV_BYTES + TAG_BYTES),
  };
}

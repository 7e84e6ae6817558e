import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Field-level encryption of personal data (customer zip prefix and city, review title and
 * message) with AES-256-GCM, under a ring of keys named by id.
 *
 * Two encodings of one sealed value, both carrying the key id, so values written under an older
 * key stay readable after a rotation:
 * - binary, for storage (`encrypt`/`decrypt`): format version (1 byte), key id length (1 byte),
 *   key id (UTF-8), IV (12 bytes), authentication tag (16 bytes), ciphertext;
 * - text, for messages (`seal`/`unseal`): `pii:v1:<keyId>:<base64url of IV | tag | ciphertext>`.
 * An optional associated text (e.g. the column and row id) is authenticated, not stored: a value
 * copied to another row or column fails to decrypt.
 */

/** Key id of a ring's built-in key used when its variable is unset. LOCAL USE ONLY: the key is public. */
export const LOCAL_ONLY_KEY_ID = 'local-only-insecure';

/** Prefix of every sealed text value. */
export const SEALED_PREFIX = 'pii:v1:';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SEALED = /^pii:v1:([A-Za-z0-9._-]{1,64}):([A-Za-z0-9_-]+)$/;

export interface PiiKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Where a ring's keys come from: its environment variable and the built-in key used when it is unset. */
export interface PiiKeyRing {
  readonly variable: string;
  /** What the keys protect, for the warning about the local-only key. */
  readonly protects: string;
  readonly localOnlyKey: () => PiiKey;
}

export type PiiCipherErrorCode = 'PII.KEYS_INVALID' | 'PII.UNKNOWN_KEY' | 'PII.MALFORMED' | 'PII.TAMPERED';

/** Never carries a plain value or a key in its message. */
export class PiiCipherError extends Error {
  constructor(
    readonly code: PiiCipherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PiiCipherError';
  }
}

/** Parses `keyId:base64key[,keyId:base64key…]`. Throws PII.KEYS_INVALID on any malformed entry (naming `variable`, never echoing a key). */
export function parsePiiKeys(text: string, variable: string): PiiKey[] {
  const keys: PiiKey[] = [];
  for (const entry of text.split(',').map((e) => e.trim())) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? entry : entry.slice(0, colon);
    if (colon < 0 || !KEY_ID.test(id)) {
      throw new PiiCipherError('PII.KEYS_INVALID', `${variable}: entry ${keys.length + 1} is not keyId:base64key`);
    }
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES) {
      throw new PiiCipherError('PII.KEYS_INVALID', `${variable}: key ${id} is not ${KEY_BYTES} bytes of base64`);
    }
    if (keys.some((k) => k.id === id)) throw new PiiCipherError('PII.KEYS_INVALID', `${variable}: key id ${id} repeated`);
    keys.push({ id, key });
  }
  return keys;
}

/** A built-in key for local runs and tests, derived from a public text: it protects nothing. */
export function publicLocalKey(seed: string, id = LOCAL_ONLY_KEY_ID): PiiKey {
  return { id, key: createHash('sha256').update(seed).digest() };
}

interface Parts {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly body: Buffer;
}

export class PiiCipher {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly keys: readonly PiiKey[];
  private readonly writer: PiiKey;

  constructor(keys: readonly PiiKey[]) {
    if (keys.length === 0) throw new PiiCipherError('PII.KEYS_INVALID', 'at least one key is needed');
    this.keys = keys;
    this.writer = keys[0] as PiiKey;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** From the ring's variable; when it is unset or empty, the ring's local-only key, with a warning through `log`. */
  static fromEnv(ring: PiiKeyRing, env: Readonly<Record<string, string | undefined>>, log: { warn(message: string): void }): PiiCipher {
    const text = env[ring.variable]?.trim();
    if (!text) {
      const local = ring.localOnlyKey();
      log.warn(
        `${ring.variable} is not set: ${ring.protects} is encrypted with the built-in key "${local.id}", ` +
          'which is public. Set it outside local development.',
      );
      return new PiiCipher([local]);
    }
    return new PiiCipher(parsePiiKeys(text, ring.variable));
  }

  /** The id of the key new values are written with. */
  get writeKeyId(): string {
    return this.writer.id;
  }

  encrypt(plain: string, associated = ''): Buffer {
    const id = Buffer.from(this.writer.id, 'utf8');
    const { iv, tag, body } = this.gcm(plain, associated);
    return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id, iv, tag, body]);
  }

  decrypt(stored: Buffer, associated = ''): string {
    return this.open(split(stored), associated);
  }

  encryptNullable(plain: string | null, associated = ''): Buffer | null {
    return plain === null ? null : this.encrypt(plain, associated);
  }

  decryptNullable(stored: Buffer | null, associated = ''): string | null {
    return stored === null ? null : this.decrypt(stored, associated);
  }

  /** The text form, for a value that travels in a message: `pii:v1:<keyId>:<base64url>`. */
  seal(plain: string, associated = ''): string {
    const { iv, tag, body } = this.gcm(plain, associated);
    return `${SEALED_PREFIX}${this.writer.id}:${Buffer.concat([iv, tag, body]).toString('base64url')}`;
  }

  /** Throws PiiCipherError (PII.MALFORMED, PII.UNKNOWN_KEY, PII.TAMPERED) for a value it cannot open. */
  unseal(sealed: string, associated = ''): string {
    return this.open(splitSealed(sealed), associated);
  }

  sealNullable(plain: string | null, associated = ''): string | null {
    return plain === null ? null : this.seal(plain, associated);
  }

  unsealNullable(sealed: string | null, associated = ''): string | null {
    return sealed === null ? null : this.unseal(sealed, associated);
  }

  /**
   * A keyed hash (HMAC-SHA256) of a plain value, to tell whether a value changed without
   * decrypting. Its key is derived from the write key, so after a rotation every value counts as
   * changed once (and is re-encrypted). `purpose` (e.g. the column) separates equal values of
   * different fields.
   */
  keyedHash(plain: string, purpose: string): Buffer {
    return hmac(this.writer.key, plain, purpose);
  }

  keyedHashNullable(plain: string | null, purpose: string): Buffer | null {
    return plain === null ? null : this.keyedHash(plain, purpose);
  }

  /** The keyed hashes of a value under every configured key (write key first): to look a value up whatever key wrote its hash. */
  keyedHashes(plain: string, purpose: string): Buffer[] {
    return this.keys.map((k) => hmac(k.key, plain, purpose));
  }

  /** True when `stored` was written with another key than the current write key (to re-encrypt after a rotation). */
  needsRotation(stored: Buffer): boolean {
    return keyIdOf(stored) !== this.writer.id;
  }

  private gcm(plain: string, associated: string): { iv: Buffer; tag: Buffer; body: Buffer } {
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', this.writer.key, iv);
    cipher.setAAD(Buffer.from(associated, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), body };
  }

  private open({ keyId, iv, tag, body }: Parts, associated: string): string {
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
}

/** True when `value` has the form of a sealed text value (it may still fail to unseal). */
export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/** The key id recorded in a stored value. */
export function keyIdOf(stored: Buffer): string {
  return split(stored).keyId;
}

/** IVs drawn from the CSPRNG a few hundred at a time: one call per value cost more than the encryption itself. */
const IV_POOL_BYTES = IV_BYTES * 512;
let ivPool: Buffer = Buffer.alloc(0);
let ivOffset = 0;

/** 12 bytes no other value got: a pool is never written again once handed out, only replaced. */
function freshIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/** The hash key derived from each key, worked out once per key. */
const hashKeys = new WeakMap<Buffer, Buffer>();

function hmac(key: Buffer, plain: string, purpose: string): Buffer {
  let hashKey = hashKeys.get(key);
  if (!hashKey) {
    // The derivation text predates the other rings; it stays so that hashes already stored still match.
    hashKey = createHmac('sha256', key).update('olist customer pii keyed hash v1').digest();
    hashKeys.set(key, hashKey);
  }
  return createHmac('sha256', hashKey).update(`${purpose}\u0000${plain}`, 'utf8').digest();
}

function split(stored: Buffer): Parts {
  if (stored.length < 2 || stored[0] !== FORMAT_VERSION) throw new PiiCipherError('PII.MALFORMED', 'not an encrypted value');
  const idEnd = 2 + (stored[1] as number);
  if (stored.length < idEnd + IV_BYTES + TAG_BYTES) throw new PiiCipherError('PII.MALFORMED', 'encrypted value is truncated');
  return {
    keyId: stored.subarray(2, idEnd).toString('utf8'),
    iv: stored.subarray(idEnd, idEnd + IV_BYTES),
    tag: stored.subarray(idEnd + IV_BYTES, idEnd + IV_BYTES + TAG_BYTES),
    body: stored.subarray(idEnd + IV_BYTES + TAG_BYTES),
  };
}

function splitSealed(sealed: string): Parts {
  const m = SEALED.exec(sealed);
  if (!m) throw new PiiCipherError('PII.MALFORMED', 'not a sealed value');
  const bytes = Buffer.from(m[2] as string, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new PiiCipherError('PII.MALFORMED', 'sealed value is truncated');
  return {
    keyId: m[1] as string,
    iv: bytes.subarray(0, IV_BYTES),
    tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    body: bytes.subarray(IV_BYTES + TAG_BYTES),
  };
}

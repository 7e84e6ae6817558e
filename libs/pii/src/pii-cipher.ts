import { createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { crypto_aead_xchacha20poly1305_ietf_decrypt_detached, crypto_aead_xchacha20poly1305_ietf_encrypt_detached } from 'sodium-native';

/**
 * Field-level encryption of personal data (customer zip prefix and city, review title and
 * message) with XChaCha20-Poly1305 (libsodium), under a ring of keys named by id.
 *
 * Two encodings of one sealed value, both carrying the format version and the key id, so values
 * written under an older key or format stay readable:
 * - binary, for storage (`encrypt`/`decrypt`): format version (1 byte), key id length (1 byte),
 *   key id (UTF-8), nonce, authentication tag (16 bytes), ciphertext;
 * - text, for messages (`seal`/`unseal`): `pii:v<format>:<keyId>:<base64url of nonce | tag | ciphertext>`.
 * Format 2 (written) is XChaCha20-Poly1305 with a 24-byte random nonce; format 1 (still read) is
 * AES-256-GCM with a 12-byte random IV, whose random IVs allow only about 2^32 values per key.
 * An optional associated text (e.g. the column and row id) is authenticated, not stored: a value
 * copied to another row or column fails to decrypt.
 */

/** Key id of a ring's built-in key used when its variable is unset. LOCAL USE ONLY: the key is public. */
export const LOCAL_ONLY_KEY_ID = 'local-only-insecure';

/** Format of the values written: XChaCha20-Poly1305. */
const XCHACHA20_POLY1305 = 2;
/** Format of values written before: AES-256-GCM (read only). */
const AES_256_GCM = 1;
/** Nonce length of each format. */
const NONCE_BYTES: Readonly<Record<number, number>> = { [AES_256_GCM]: 12, [XCHACHA20_POLY1305]: 24 };

/** Prefix of every sealed text value written now. */
export const SEALED_PREFIX = `pii:v${XCHACHA20_POLY1305}:`;

const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SEALED = new RegExp(`^pii:v(${Object.keys(NONCE_BYTES).join('|')}):([A-Za-z0-9._-]{1,64}):([A-Za-z0-9_-]+)$`);

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
  readonly format: number;
  readonly keyId: string;
  readonly nonce: Buffer;
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
    const header = 2 + id.length;
    const message = Buffer.from(plain, 'utf8');
    const stored = Buffer.allocUnsafe(header + NONCE + TAG_BYTES + message.length);
    stored[0] = XCHACHA20_POLY1305;
    stored[1] = id.length;
    id.copy(stored, 2);
    this.sealInto(message, associated, stored.subarray(header));
    return stored;
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

  /** The text form, for a value that travels in a message: `pii:v2:<keyId>:<base64url>`. */
  seal(plain: string, associated = ''): string {
    const message = Buffer.from(plain, 'utf8');
    const sealed = Buffer.allocUnsafe(NONCE + TAG_BYTES + message.length);
    this.sealInto(message, associated, sealed);
    return `${SEALED_PREFIX}${this.writer.id}:${sealed.toString('base64url')}`;
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

  /** True when `stored` was written with another key than the current write key, or in an older format (to re-encrypt it). */
  needsRotation(stored: Buffer): boolean {
    const { format, keyId } = split(stored);
    return keyId !== this.writer.id || format !== XCHACHA20_POLY1305;
  }

  /** Writes nonce | tag | ciphertext of `message` into `out` (exactly that long), under the write key. */
  private sealInto(message: Buffer, associated: string, out: Buffer): void {
    const nonce = out.subarray(0, NONCE);
    freshNonce().copy(nonce);
    const tag = out.subarray(NONCE, NONCE + TAG_BYTES);
    const body = out.subarray(NONCE + TAG_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt_detached(body, tag, message, Buffer.from(associated, 'utf8'), null, nonce, this.writer.key);
  }

  private open({ format, keyId, nonce, tag, body }: Parts, associated: string): string {
    const key = this.byId.get(keyId);
    if (!key) throw new PiiCipherError('PII.UNKNOWN_KEY', `no key with id ${keyId} is configured`);
    const ad = Buffer.from(associated, 'utf8');
    try {
      if (format === AES_256_GCM) {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(ad);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      }
      const plain = Buffer.allocUnsafe(body.length);
      crypto_aead_xchacha20poly1305_ietf_decrypt_detached(plain, null, body, tag, ad, nonce, key);
      return plain.toString('utf8');
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

/** Nonce length of the format written. */
const NONCE = NONCE_BYTES[XCHACHA20_POLY1305] as number;

/** Nonces drawn from the CSPRNG a few hundred at a time: one call per value cost more than the encryption itself. */
const NONCE_POOL_BYTES = NONCE * 512;
let noncePool: Buffer = Buffer.alloc(0);
let nonceOffset = 0;

/** Random bytes no other value got: a pool is never written again once handed out, only replaced. */
function freshNonce(): Buffer {
  if (nonceOffset + NONCE > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    nonceOffset = 0;
  }
  const nonce = noncePool.subarray(nonceOffset, nonceOffset + NONCE);
  nonceOffset += NONCE;
  return nonce;
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
  const nonceBytes = stored.length < 2 ? undefined : NONCE_BYTES[stored[0] as number];
  if (nonceBytes === undefined) throw new PiiCipherError('PII.MALFORMED', 'not an encrypted value');
  const idEnd = 2 + (stored[1] as number);
  if (stored.length < idEnd + nonceBytes + TAG_BYTES) throw new PiiCipherError('PII.MALFORMED', 'encrypted value is truncated');
  return { format: stored[0] as number, keyId: stored.subarray(2, idEnd).toString('utf8'), ...cut(stored.subarray(idEnd), nonceBytes) };
}

function splitSealed(sealed: string): Parts {
  const m = SEALED.exec(sealed);
  if (!m) throw new PiiCipherError('PII.MALFORMED', 'not a sealed value');
  const format = Number(m[1]);
  const nonceBytes = NONCE_BYTES[format] as number;
  const bytes = Buffer.from(m[3] as string, 'base64url');
  if (bytes.length < nonceBytes + TAG_BYTES) throw new PiiCipherError('PII.MALFORMED', 'sealed value is truncated');
  return { format, keyId: m[2] as string, ...cut(bytes, nonceBytes) };
}

/** nonce | tag | ciphertext. */
function cut(bytes: Buffer, nonceBytes: number): Pick<Parts, 'nonce' | 'tag' | 'body'> {
  return {
    nonce: bytes.subarray(0, nonceBytes),
    tag: bytes.subarray(nonceBytes, nonceBytes + TAG_BYTES),
    body: bytes.subarray(nonceBytes + TAG_BYTES),
  };
}

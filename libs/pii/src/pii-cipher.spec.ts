import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { crypto_aead_xchacha20poly1305_ietf_decrypt_detached } from 'sodium-native';
import { FEED_KEYS_ENV, FEED_LOCAL_ONLY_KEY_ID, feedCipherFromEnv } from './feed-keys';
import { PiiCipher, PiiCipherError, isSealed, keyIdOf, parsePiiKeys as parseKeys } from './pii-cipher';

const parsePiiKeys = (text: string) => parseKeys(text, 'TEST_KEYS');

const key = () => randomBytes(32).toString('base64');
const city = 'sao jose dos campos';
const message = 'Chegou antes do prazo, bem embalado.';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof PiiCipherError ? e.code : 'OTHER';
  }
};

describe('PiiCipher', () => {
  it('round-trips text, records the key id and never stores the plain bytes', () => {
    const cipher = new PiiCipher(parsePiiKeys(`k1:${key()}`));
    const stored = cipher.encrypt(message, 'review:r1:message');
    expect(keyIdOf(stored)).toBe('k1');
    expect(stored.includes(Buffer.from(message))).toBe(false);
    expect(stored.includes(Buffer.from('Chegou'))).toBe(false);
    expect(cipher.decrypt(stored, 'review:r1:message')).toBe(message);
    expect(cipher.decryptNullable(cipher.encryptNullable(null))).toBeNull();
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  it('uses a fresh nonce per value', () => {
    const cipher = new PiiCipher(parsePiiKeys(`k1:${key()}`));
    expect(cipher.encrypt(city).equals(cipher.encrypt(city))).toBe(false);
    // Across several pools of nonces: every value its own nonce, and every value still opens.
    const stored = Array.from({ length: 2_000 }, () => cipher.encrypt(city));
    const nonces = new Set(stored.map((v) => v.subarray(4, 28).toString('hex')));
    expect(nonces.size).toBe(stored.length);
    expect(stored.every((v) => cipher.decrypt(v) === city)).toBe(true);
  });

  it('writes format 2: XChaCha20-Poly1305 with a 24-byte nonce, then the tag, then the ciphertext', () => {
    const k = randomBytes(32);
    const cipher = new PiiCipher([{ id: 'k1', key: k }]);
    const stored = cipher.encrypt(message, 'review:r1:message');
    expect([...stored.subarray(0, 4)]).toEqual([2, 2, 0x6b, 0x31]);
    const body = stored.subarray(4 + 24 + 16);
    const plain = Buffer.alloc(body.length);
    crypto_aead_xchacha20poly1305_ietf_decrypt_detached(plain, null, body, stored.subarray(28, 44), Buffer.from('review:r1:message'), stored.subarray(4, 28), k);
    expect(plain.toString('utf8')).toBe(message);
  });

  it('still opens values written in format 1 (AES-256-GCM), binary and sealed, and detects their tampering', () => {
    const k = randomBytes(32);
    const cipher = new PiiCipher([{ id: 'k1', key: k }]);
    const gcm = (plain: string, associated: string) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      c.setAAD(Buffer.from(associated, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    };
    const stored = Buffer.concat([Buffer.from([1, 2]), Buffer.from('k1'), gcm(city, 'customer:c1:city')]);
    expect(cipher.decrypt(stored, 'customer:c1:city')).toBe(city);
    expect(keyIdOf(stored)).toBe('k1');
    // Under the write key, but in the older format: re-encrypted like a value of an older key.
    expect(cipher.needsRotation(stored)).toBe(true);
    expect(cipher.needsRotation(cipher.encrypt(city, 'customer:c1:city'))).toBe(false);
    expect(code(() => cipher.decrypt(stored, 'customer:c2:city'))).toBe('PII.TAMPERED');
    const sealed = `pii:v1:k1:${gcm(message, 'review_comment_message').toString('base64url')}`;
    expect(isSealed(sealed)).toBe(true);
    expect(cipher.unseal(sealed, 'review_comment_message')).toBe(message);
    expect(code(() => cipher.unseal(sealed, 'review_comment_title'))).toBe('PII.TAMPERED');
    expect(code(() => cipher.decrypt(Buffer.from([3, 2, 0x6b, 0x31, ...randomBytes(40)])))).toBe('PII.MALFORMED');
  });

  it('keeps reading values of an older key after rotation and writes with the first key', () => {
    const k1 = key();
    const before = new PiiCipher(parsePiiKeys(`k1:${k1}`));
    const old = before.encrypt(city);
    const after = new PiiCipher(parsePiiKeys(`k2:${key()},k1:${k1}`));
    expect(after.decrypt(old)).toBe(city);
    expect(after.needsRotation(old)).toBe(true);
    const fresh = after.encrypt(city);
    expect(keyIdOf(fresh)).toBe('k2');
    expect(after.needsRotation(fresh)).toBe(false);
    expect(code(() => before.decrypt(fresh))).toBe('PII.UNKNOWN_KEY');
  });

  it('detects a tampered value, a swapped associated text and a wrong key with the same id', () => {
    const cipher = new PiiCipher(parsePiiKeys(`k1:${key()}`));
    const stored = cipher.encrypt(city, 'customer:c1:city');
    const flipped = Buffer.from(stored);
    flipped[flipped.length - 1] ^= 0x01;
    expect(code(() => cipher.decrypt(flipped, 'customer:c1:city'))).toBe('PII.TAMPERED');
    expect(code(() => cipher.decrypt(stored, 'customer:c2:city'))).toBe('PII.TAMPERED');
    expect(code(() => new PiiCipher(parsePiiKeys(`k1:${key()}`)).decrypt(stored, 'customer:c1:city'))).toBe('PII.TAMPERED');
    expect(code(() => cipher.decrypt(stored.subarray(0, 10)))).toBe('PII.MALFORMED');
    expect(code(() => cipher.decrypt(Buffer.from(city)))).toBe('PII.MALFORMED');
  });

  it('refuses malformed key configuration without echoing the key', () => {
    expect(code(() => parsePiiKeys('k1'))).toBe('PII.KEYS_INVALID');
    expect(code(() => parsePiiKeys(`k1:${randomBytes(16).toString('base64')}`))).toBe('PII.KEYS_INVALID');
    const k = key();
    expect(code(() => parsePiiKeys(`k1:${k},k1:${k}`))).toBe('PII.KEYS_INVALID');
    expect(code(() => parsePiiKeys(`bad id:${k}`))).toBe('PII.KEYS_INVALID');
    try {
      parsePiiKeys(`k1:${randomBytes(16).toString('base64')}`);
    } catch (e) {
      expect((e as Error).message).not.toContain('=');
    }
  });

  it('falls back to the public raw-feed key with a warning naming OLIST_FEED_KEYS when it is unset', () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m) };
    const local = feedCipherFromEnv({}, log);
    expect(local.writeKeyId).toBe(FEED_LOCAL_ONLY_KEY_ID);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(FEED_KEYS_ENV);
    expect(feedCipherFromEnv({ OLIST_FEED_KEYS: `prod-2026:${key()}` }, log).writeKeyId).toBe('prod-2026');
    expect(warnings).toHaveLength(1);
    expect(() => feedCipherFromEnv({ OLIST_FEED_KEYS: 'prod-2026' }, log)).toThrow(/OLIST_FEED_KEYS: entry 1/);
  });

  it('keys its hashes with the write key and separates fields', () => {
    const k1 = key();
    const cipher = new PiiCipher(parsePiiKeys(`k1:${k1}`));
    const hash = cipher.keyedHash(city, 'city');
    expect(hash).toHaveLength(32);
    expect(new PiiCipher(parsePiiKeys(`k1:${k1}`)).keyedHash(city, 'city').equals(hash)).toBe(true);
    expect(cipher.keyedHash(city, 'message').equals(hash)).toBe(false);
    expect(new PiiCipher(parsePiiKeys(`k2:${key()},k1:${k1}`)).keyedHash(city, 'city').equals(hash)).toBe(false);
    expect(cipher.keyedHashNullable(null, 'city')).toBeNull();
    // HMAC-SHA256 under a key derived from the write key, as hashes already stored were written.
    const derived = createHmac('sha256', Buffer.from(k1, 'base64')).update('olist customer pii keyed hash v1').digest();
    expect(hash.equals(createHmac('sha256', derived).update(`city\u0000${city}`, 'utf8').digest())).toBe(true);
  });

  it('keeps the key id of the writer in every value after a rotation, and the hashes of every key for look-ups', () => {
    const k1 = key();
    const after = new PiiCipher(parsePiiKeys(`k2:${key()},k1:${k1}`));
    const hashes = after.keyedHashes(city, 'zip');
    expect(hashes).toHaveLength(2);
    expect(hashes[0]!.equals(after.keyedHash(city, 'zip'))).toBe(true);
    expect(hashes[1]!.equals(new PiiCipher(parsePiiKeys(`k1:${k1}`)).keyedHash(city, 'zip'))).toBe(true);
  });
});

describe('PiiCipher sealed text', () => {
  const cipher = new PiiCipher(parsePiiKeys(`k1:${key()}`));

  it('round-trips any text and associated text, in the documented form, without the plain text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (plain, associated) => {
        const sealed = cipher.seal(plain, associated);
        expect(sealed).toMatch(/^pii:v2:k1:[A-Za-z0-9_-]+$/);
        expect(isSealed(sealed)).toBe(true);
        if (plain.length >= 4) expect(sealed.includes(plain)).toBe(false);
        expect(cipher.unseal(sealed, associated)).toBe(plain);
      }),
    );
    expect(cipher.unsealNullable(cipher.sealNullable(null))).toBeNull();
  });

  it('detects any change to the sealed bytes', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (plain, at, mask) => {
        const sealed = cipher.seal(plain, 'review_comment_message');
        const prefix = 'pii:v2:k1:';
        const bytes = Buffer.from(sealed.slice(prefix.length), 'base64url');
        bytes[at % bytes.length] ^= mask;
        expect(code(() => cipher.unseal(`${prefix}${bytes.toString('base64url')}`, 'review_comment_message'))).toBe('PII.TAMPERED');
      }),
    );
  });

  it('refuses a value sealed for another column, under another key with the same id, or truncated', () => {
    fc.assert(
      fc.property(fc.string(), (plain) => {
        const sealed = cipher.seal(plain, 'customer_city');
        expect(code(() => cipher.unseal(sealed, 'customer_zip_code_prefix'))).toBe('PII.TAMPERED');
        expect(code(() => new PiiCipher(parsePiiKeys(`k1:${key()}`)).unseal(sealed, 'customer_city'))).toBe('PII.TAMPERED');
        expect(code(() => cipher.unseal(sealed.slice(0, 20), 'customer_city'))).toBe('PII.MALFORMED');
      }),
      { numRuns: 50 },
    );
  });

  it('names the missing key id, and refuses text that is not sealed, without quoting it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/), fc.string(), (kid, plain) => {
        fc.pre(kid !== 'k1');
        const other = new PiiCipher(parsePiiKeys(`${kid}:${key()}`));
        const sealed = other.seal(plain);
        let error: unknown;
        try {
          cipher.unseal(sealed);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(PiiCipherError);
        expect((error as PiiCipherError).code).toBe('PII.UNKNOWN_KEY');
        expect((error as Error).message).toBe(`no key with id ${kid} is configured`);
      }),
      { numRuns: 50 },
    );
    expect(code(() => cipher.unseal('pii:v2:k1:AAAA'))).toBe('PII.MALFORMED');
    for (const clear of ['sao jose dos campos', '14409', '', 'pii:v1:k1:', 'pii:v3:k1:AAAA']) {
      let message = '';
      try {
        cipher.unseal(clear);
      } catch (e) {
        expect((e as PiiCipherError).code).toBe('PII.MALFORMED');
        message = (e as Error).message;
      }
      expect(message).toBe('not a sealed value');
    }
  });
});

import { randomBytes } from 'node:crypto';
import { LOCAL_ONLY_KEY_ID, PiiCipher, PiiCipherError, keyIdOf, parsePiiKeys } from './pii-cipher';

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

  it('uses a fresh IV per value', () => {
    const cipher = new PiiCipher(parsePiiKeys(`k1:${key()}`));
    expect(cipher.encrypt(city).equals(cipher.encrypt(city))).toBe(false);
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

  it('falls back to the local-only key with a warning when CUSTOMER_PII_KEYS is unset', () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m) };
    const local = PiiCipher.fromEnv({}, log);
    expect(local.writeKeyId).toBe(LOCAL_ONLY_KEY_ID);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('CUSTOMER_PII_KEYS');
    const configured = PiiCipher.fromEnv({ CUSTOMER_PII_KEYS: `prod-2026:${key()}` }, log);
    expect(configured.writeKeyId).toBe('prod-2026');
    expect(warnings).toHaveLength(1);
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
  });
});

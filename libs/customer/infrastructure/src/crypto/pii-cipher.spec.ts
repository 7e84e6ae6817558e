import { randomBytes } from 'node:crypto';
import { LOCAL_ONLY_KEY_ID, PiiCipher, customerPiiCipherFromEnv, localOnlyKey, parsePiiKeys } from './pii-cipher';

const key = () => randomBytes(32).toString('base64');

describe('customer personal-data keys', () => {
  it('falls back to the local-only key with a warning when CUSTOMER_PII_KEYS is unset', () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m) };
    const local = customerPiiCipherFromEnv({}, log);
    expect(local.writeKeyId).toBe(LOCAL_ONLY_KEY_ID);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('CUSTOMER_PII_KEYS');
    const configured = customerPiiCipherFromEnv({ CUSTOMER_PII_KEYS: `prod-2026:${key()}` }, log);
    expect(configured.writeKeyId).toBe('prod-2026');
    expect(warnings).toHaveLength(1);
  });

  it('names CUSTOMER_PII_KEYS when it is malformed', () => {
    expect(() => parsePiiKeys('k1')).toThrow(/CUSTOMER_PII_KEYS/);
  });

  it('reads values and matches hashes written before the cipher moved to @olist/pii', () => {
    // Written under the local-only key by the previous implementation: the layout, the local key
    // and the keyed-hash derivation must not change, or stored rows become unreadable.
    const cipher = new PiiCipher([localOnlyKey()]);
    const stored = Buffer.from('ARNsb2NhbC1vbmx5LWluc2VjdXJlJWZ+55qTayximHb2Ql1/Hg+5LDvF7k7rlwYuABsfsfTNjA==', 'base64');
    expect(cipher.decrypt(stored, 'customer_ids.city:c1')).toBe('franca');
    expect(cipher.keyedHash('franca', 'city').toString('base64')).toBe('Sg4iGBJg5TnYZwgVT1s1RUvbHXm8SyKsWtygecfthLw=');
  });
});

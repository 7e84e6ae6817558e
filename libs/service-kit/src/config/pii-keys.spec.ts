import { randomBytes } from 'node:crypto';
import { FEED_KEY_RING, FEED_LOCAL_ONLY_KEY_ID } from '@olist/pii';
import { ConfigError } from './config-error';
import { loadPiiCipher } from './pii-keys';

describe('loadPiiCipher', () => {
  const log = { warn: jest.fn() };

  it('reads OLIST_FEED_KEYS, and warns about the public key when it is unset', () => {
    expect(loadPiiCipher(FEED_KEY_RING, { OLIST_FEED_KEYS: `k1:${randomBytes(32).toString('base64')}` }, log).writeKeyId).toBe('k1');
    expect(log.warn).not.toHaveBeenCalled();
    expect(loadPiiCipher(FEED_KEY_RING, {}, log).writeKeyId).toBe(FEED_LOCAL_ONLY_KEY_ID);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('OLIST_FEED_KEYS is not set'));
  });

  it('stops the service with a configuration error naming the variable, not the key', () => {
    const short = randomBytes(16).toString('base64');
    let error: unknown;
    try {
      loadPiiCipher(FEED_KEY_RING, { OLIST_FEED_KEYS: `k1:${short}` }, log);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([{ variable: 'OLIST_FEED_KEYS', message: 'key k1 is not 32 bytes of base64' }]);
    expect((error as Error).message).not.toContain(short);
  });
});

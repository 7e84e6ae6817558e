import { ConfigError } from '@olist/service-kit';
import { loadSegmentConfig } from './segment.config';

describe('loadSegmentConfig', () => {
  it('has no fixed as-of when CUSTOMER_SEGMENT_AS_OF is unset or empty', () => {
    expect(loadSegmentConfig({})).toEqual({ asOf: null });
    expect(loadSegmentConfig({ CUSTOMER_SEGMENT_AS_OF: ' ' })).toEqual({ asOf: null });
  });

  it('reads an ISO date (UTC midnight) or date-time with a zone', () => {
    expect(loadSegmentConfig({ CUSTOMER_SEGMENT_AS_OF: '2018-10-17' }).asOf?.toISOString()).toBe('2018-10-17T00:00:00.000Z');
    expect(loadSegmentConfig({ CUSTOMER_SEGMENT_AS_OF: '2018-10-17T17:30:18Z' }).asOf?.toISOString()).toBe('2018-10-17T17:30:18.000Z');
    expect(loadSegmentConfig({ CUSTOMER_SEGMENT_AS_OF: '2018-10-17T14:30:18-03:00' }).asOf?.toISOString()).toBe('2018-10-17T17:30:18.000Z');
  });

  it.each(['yesterday', '17/10/2018', '2018-10-17T17:30:18', '2018-13-01'])('names the variable when it is %s', (value) => {
    let error: unknown;
    try {
      loadSegmentConfig({ CUSTOMER_SEGMENT_AS_OF: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([{ variable: 'CUSTOMER_SEGMENT_AS_OF', message: expect.stringContaining(`(got "${value}")`) }]);
  });
});

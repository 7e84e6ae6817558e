import { RULE_CATALOG, ruleByCode } from '@olist/quality-domain';
import { ROW_CHECKS, SET_RULES } from '../rules/rule-queries';
import { GEO_DUPLICATE_RULE } from './raw-feed.publisher';

describe('raw feed: duplicate geolocation rows', () => {
  it('are marked by a warning of the geolocation file that compares rows with each other', () => {
    expect(ruleByCode(GEO_DUPLICATE_RULE)).toMatchObject({ table: 'geolocation', severity: 'warn' });
    expect(SET_RULES.filter((r) => r.code === GEO_DUPLICATE_RULE).map((r) => r.file)).toEqual(['geolocation']);
  });

  it('share the fate of their first copy: every geolocation rule that quarantines reads only the row itself', () => {
    const quarantining = RULE_CATALOG.filter((r) => r.table === 'geolocation' && r.severity === 'error').map((r) => r.code);
    const rowRules = ROW_CHECKS.filter((c) => c.file === 'geolocation').flatMap((c) => c.rules.map((r) => r.code));
    expect(quarantining.length).toBeGreaterThan(0);
    expect(quarantining.filter((code) => !rowRules.includes(code))).toEqual([]);
    expect(SET_RULES.filter((r) => r.file === 'geolocation' && ruleByCode(r.code).severity === 'error').map((r) => r.code)).toEqual([]);
  });
});

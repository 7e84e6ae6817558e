import { Load } from './load.aggregate';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const file = (name: string, records: number) => ({ file: name, fileName: `${name}.csv`, bytes: 10, sha256: 'ab', records });
const check = (records: number, quarantined: number, warnings = 0) => ({ records, accepted: records - quarantined, quarantined, warnings, score: 100 });

describe('Load', () => {
  it('goes registered → staged → checked → published', () => {
    const load = Load.register('L1', '/data', t(0));
    expect(load.staged([file('orders', 10)], t(1)).ok).toBe(true);
    const gate = load.checked({ orders: check(10, 0, 2) }, t(2));
    expect(gate).toEqual({ ok: true, value: 'passed' });
    expect(load.published(10, t(3))).toEqual({ ok: true, value: 'published' });
    expect(load.snapshot()).toMatchObject({ status: 'published', gate: 'passed', stagedAt: t(1), checkedAt: t(2), finishedAt: t(3) });
  });

  it('is unchanged when the feed has no new or changed rows', () => {
    const load = Load.register('L2', '/data', t(0));
    load.staged([file('orders', 10)], t(1));
    load.checked({ orders: check(10, 0) }, t(2));
    expect(load.published(0, t(3))).toEqual({ ok: true, value: 'unchanged' });
  });

  it('fails the gate when a file quarantines more than the allowed share, and then refuses to publish', () => {
    const load = Load.register('L3', '/data', t(0));
    load.staged([file('orders', 100), file('sellers', 100)], t(1));
    expect(load.checked({ orders: check(100, 5), sellers: check(100, 6) }, t(2))).toEqual({ ok: true, value: 'failed' });
    expect(load.snapshot().failure).toBe('quality gate failed: sellers quarantined 6 of 100 (more than 5 %)');
    const published = load.published(94, t(3));
    expect(published.ok).toBe(false);
    expect(!published.ok && published.error.code).toBe('LOAD.GATE_FAILED');
  });

  it('honours a stricter gate', () => {
    const load = Load.register('L4', '/data', t(0));
    load.staged([file('orders', 100)], t(1));
    expect(load.checked({ orders: check(100, 1) }, t(2), 0)).toEqual({ ok: true, value: 'failed' });
  });

  it('refuses steps out of order and unbalanced checks', () => {
    const load = Load.register('L5', '/data', t(0));
    const early = load.checked({}, t(1));
    expect(!early.ok && early.error.code).toBe('LOAD.WRONG_STATUS');
    load.staged([file('orders', 10)], t(1));
    const unbalanced = load.checked({ orders: { records: 10, accepted: 8, quarantined: 1, warnings: 0, score: 90 } }, t(2));
    expect(!unbalanced.ok && unbalanced.error).toEqual({ code: 'LOAD.UNBALANCED_CHECK', message: 'orders: accepted + quarantined must equal records' });
    expect(load.staged([], t(3)).ok).toBe(false);
  });

  it('records a failure with its reason', () => {
    const load = Load.register('L6', '/data', t(0));
    load.failed('olist_orders_dataset.csv line 7: has 3 fields where the header has 8', t(1));
    expect(load.snapshot()).toMatchObject({ status: 'failed', failure: 'olist_orders_dataset.csv line 7: has 3 fields where the header has 8', finishedAt: t(1) });
  });
});

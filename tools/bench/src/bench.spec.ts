import { postgresRole, splitPostgres } from './cpu-sampler';
import { pacedEvents, pacedPerTick, parseOptions, UsageError } from './options';
import { latencies, percentile, renderTable, significant } from './stats';

describe('bench options', () => {
  it('defaults to 100,000 events and 10 s paced at 5,000/s, 50 per 10 ms transaction', () => {
    const o = parseOptions([], {});
    expect(o).toMatchObject({ events: 100_000, pacedSeconds: 10, pacedRate: 5_000, pacedTickMs: 10, writeChunk: 1_000 });
    expect(pacedPerTick(o)).toBe(50);
    expect(pacedEvents(o)).toBe(50_000);
  });

  it('takes arguments over environment variables', () => {
    const o = parseOptions(['--events', '2000', '--paced-seconds=3'], { BENCH_EVENTS: '500', BENCH_CONSUMER_BATCH: '800' });
    expect(o).toMatchObject({ events: 2_000, pacedSeconds: 3, consumerBatch: 800 });
  });

  it('rejects unknown arguments and values that are not positive whole numbers', () => {
    expect(() => parseOptions(['--event', '5'], {})).toThrow(UsageError);
    expect(() => parseOptions(['--events', '-5'], {})).toThrow('--events must be a positive whole number');
    expect(() => parseOptions(['--events'], {})).toThrow(UsageError);
    expect(() => parseOptions([], { BENCH_PACED_SECONDS: '1.5' })).toThrow('BENCH_PACED_SECONDS');
    expect(() => parseOptions(['--paced-rate', '150', '--paced-tick-ms', '1'], {})).toThrow('whole number of events per transaction');
  });
});

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('pairs commit times by event id and counts events never applied', () => {
    const written = new Map([
      ['a', 1_000],
      ['b', 1_000],
      ['c', 1_010],
    ]);
    const applied = new Map([
      ['a', 1_004],
      ['b', 1_030],
      ['x', 5_000],
    ]);
    expect(latencies(written, applied)).toEqual({ count: 2, p50: 4, p90: 30, p99: 30, max: 30, missing: 1 });
  });

  it('rounds to significant digits', () => {
    expect(significant(123.456, 3)).toBe(123);
    expect(significant(0.012345, 3)).toBe(0.0123);
    expect(significant(45.67, 3)).toBe(45.7);
  });

  it('renders aligned columns', () => {
    expect(renderTable([
      ['a', 'bb'],
      ['ccc', 'd'],
    ])).toBe('a    bb\n---  --\nccc  d');
  });
});

describe('bench CPU groups', () => {
  it('reads the role of a backend from its process title, with or without a cluster name', () => {
    expect(postgresRole('postgres: 15/main: olist_sales olist_bench_e2e_1 127.0.0.1(51234) idle', 'olist_bench_e2e_1')).toBe('olist_sales');
    expect(postgresRole('postgres: olist_warehouse olist_bench_e2e_1 172.17.0.1(40000) INSERT', 'olist_bench_e2e_1')).toBe('olist_warehouse');
    expect(postgresRole('postgres: 15/main: autovacuum worker olist_bench_e2e_1', 'olist_bench_e2e_1')).toBe('autovacuum');
    expect(postgresRole('postgres: 15/main: checkpointer', 'olist_bench_e2e_1')).toBe('other');
  });

  it('sums the roles into one postgres group and keeps the others as they are', () => {
    expect(splitPostgres({ 'postgres/olist_sales': 10.2, 'postgres/olist_warehouse': 31.5, sales: 20.1, nats: 6 })).toEqual({
      total: { postgres: 41.7, sales: 20.1, nats: 6 },
      postgresByRole: { olist_sales: 10.2, olist_warehouse: 31.5 },
    });
  });
});

import { ConfigError } from './config-error';
import { loadServiceConfig, roleUrl } from './service-config';

const problemsOf = (env: NodeJS.ProcessEnv) => {
  try {
    loadServiceConfig('sales', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadServiceConfig', () => {
  it('uses the documented defaults and connects as the service role', () => {
    const config = loadServiceConfig('sales', {});
    expect(config.port).toBe(3101);
    expect(config.host).toBe('127.0.0.1');
    expect(config.natsUrl).toBe('nats://127.0.0.1:4222');
    expect(config.databaseRole).toBe('olist_sales');
    expect(config.databaseUrl).toBe('postgres://olist_sales@127.0.0.1:5432/olist');
    expect(config.service.schemas).toEqual(['sales']);
    expect(config.logLevel).toBe('info');
  });

  it('reads the per-service port and database URL variables', () => {
    const config = loadServiceConfig('customer', {
      CUSTOMER_PORT: '4100',
      CUSTOMER_DATABASE_URL: 'postgresql://custom:secret@db.internal:6543/platform',
      DATABASE_URL: 'postgres://admin@elsewhere/x',
    });
    expect(config.port).toBe(4100);
    expect(config.databaseUrl).toBe('postgresql://custom:secret@db.internal:6543/platform');
    expect(config.databaseRole).toBe('custom');
  });

  it('names DATABASE_URL when it is malformed', () => {
    const problems = problemsOf({ DATABASE_URL: 'not-a-url' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.variable).toBe('DATABASE_URL');
    expect(problems[0]!.message).toContain('postgres://');
    expect(problems[0]!.message).toContain('"not-a-url"');
  });

  it('refuses a URL of the wrong protocol and hides passwords in the message', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://root:hunter2@localhost/olist' });
    expect(problems[0]!.variable).toBe('DATABASE_URL');
    expect(problems[0]!.message).not.toContain('hunter2');
  });

  it('names the service-specific variable, not an internal one', () => {
    const problems = problemsOf({ SALES_PORT: 'eighty' });
    expect(problems.map((p) => p.variable)).toEqual(['SALES_PORT']);
    expect(problemsOf({ SALES_PORT: '70000' })[0]!.message).toContain('between 1 and 65535');
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ NATS_URL: 'http://x', LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT_MS: '5' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['LOG_LEVEL', 'NATS_URL', 'SHUTDOWN_TIMEOUT_MS']);
  });

  it('treats empty variables as unset', () => {
    expect(loadServiceConfig('quality', { DATABASE_URL: '', QUALITY_PORT: '' }).port).toBe(3105);
  });
});

describe('roleUrl', () => {
  it('replaces the user and password of the admin URL', () => {
    expect(roleUrl('postgres://postgres:pw@h:5432/olist?sslmode=disable', 'olist_sales')).toBe(
      'postgres://olist_sales@h:5432/olist?sslmode=disable',
    );
    expect(roleUrl('postgres://postgres@h/olist', 'olist_sales', 'local-only')).toBe(
      'postgres://olist_sales:local-only@h/olist',
    );
  });
});

import { SERVICES, serviceEnv } from '@olist/service-kit';
import { cleanEnv, Spawned } from './platform-process';

jest.setTimeout(60_000);

/** A service refuses to start on a bad environment, naming the variable, before touching anything. */
describe('service start-up with bad configuration', () => {
  it.each(SERVICES.map((s) => s.name))('%s exits non-zero naming a malformed DATABASE_URL', async (name) => {
    const service = Spawned.node([`dist/apps/${name}/src/main.js`], cleanEnv({ DATABASE_URL: 'localhost:5432/olist' }));
    expect(await service.exited).toBe(1);
    expect(service.output).toContain('DATABASE_URL');
    expect(service.output).toContain('localhost:5432/olist');
  });

  it('names the service port variable when it is not a port', async () => {
    const env = cleanEnv({ [serviceEnv('sales').port]: '99999', NATS_URL: 'http://127.0.0.1:4222' });
    const service = Spawned.node(['dist/apps/sales/src/main.js'], env);
    expect(await service.exited).toBe(1);
    expect(service.output).toContain('SALES_PORT: must be an integer between 1 and 65535 (got "99999")');
    expect(service.output).toContain('NATS_URL');
  });

  it('explains an unreachable Postgres instead of hanging', async () => {
    const env = cleanEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/olist' });
    const service = Spawned.node(['dist/apps/sales/src/main.js'], env);
    expect(await service.exited).toBe(1);
    expect(service.output).toMatch(/Postgres at 127\.0\.0\.1:1\/olist as role "olist_sales": .*ECONNREFUSED/);
  });
});

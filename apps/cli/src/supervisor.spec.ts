import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICE_NODE_ARGS, SERVICES } from '@olist/service-kit';
import { Supervisor } from './supervisor';

describe('Supervisor', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'olist-supervisor-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('starts each service with the platform V8 options and its log in the log directory', async () => {
    const service = SERVICES.find((s) => s.name === 'sales');
    if (!service) throw new Error('sales is not in the catalog');
    // A stand-in entry point that reports how it was started.
    const main = path.join(root, 'dist/apps/sales/src');
    mkdirSync(main, { recursive: true });
    writeFileSync(path.join(main, 'main.js'), `console.log(JSON.stringify(process.execArgv)); process.exit(3);\n`);

    const supervisor = new Supervisor(root, path.join(root, 'logs'), { PATH: process.env['PATH'] });
    supervisor.start([{ service, port: 0, url: 'http://127.0.0.1:0' }]);
    const exited = await supervisor.firstExit();

    expect(exited.exit).toEqual({ code: 3, signal: null });
    expect(JSON.parse(readFileSync(path.join(root, 'logs/sales.log'), 'utf8'))).toEqual([...SERVICE_NODE_ARGS]);
  });
});

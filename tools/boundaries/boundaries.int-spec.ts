import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
jest.setTimeout(120_000);

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

async function lint(file: string): Promise<LintMessage[]> {
  const result = await run(process.execPath, [ESLINT, '--no-ignore', '--format', 'json', file], {
    cwd: ROOT,
    env: NX_ENV,
    maxBuffer: 10 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
  const [report] = JSON.parse(result.stdout) as { messages: LintMessage[] }[];
  return report?.messages ?? [];
}

const NX_ENV = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

describe('module boundaries', () => {
  // The rule reads Nx's cached project graph and silently skips itself without one.
  beforeAll(() => run(process.execPath, [path.join(ROOT, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: ROOT, env: NX_ENV }));

  it('rejects every forbidden import of the deliberately broken domain fixture', async () => {
    const messages = await lint('tools/boundary-fixture/sales-domain/src/index.ts');
    const boundary = messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries');
    const byLine = new Map(boundary.map((m) => [m.line, m.message]));
    expect(byLine.get(3)).toBe('A project tagged with "type:domain" is not allowed to import "@nestjs/common"');
    expect(byLine.get(4)).toBe('A project tagged with "type:domain" is not allowed to import "typeorm"');
    expect(byLine.get(5)).toBe('A project tagged with "type:domain" is not allowed to import "@nats-io/transport-node"');
    expect(byLine.get(6)).toMatch(/^A project tagged with "scope:sales" can only depend on libs tagged with "scope:sales", "scope:shared", "type:contracts"/);
    expect(boundary).toHaveLength(4);
  });

  it('accepts a domain lib that imports nothing forbidden', async () => {
    const messages = await lint('libs/shared-kernel/src/index.ts');
    expect(messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries')).toEqual([]);
  });
});

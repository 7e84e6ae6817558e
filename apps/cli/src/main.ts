import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { statusCommand } from './commands/status.command';
import { upCommand } from './commands/up.command';

/** The `olist` command line. Resolves once the command has finished and sets the exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('olist')
    .description('Olist data platform: start it, load data, watch it')
    .showHelpAfterError()
    .exitOverride((err) => {
      process.exit(err.exitCode);
    });

  program
    .command('up')
    .description('check Postgres and NATS, start every service, wait until all are ready, print the URLs')
    .option('--no-load', 'start the platform without loading data')
    .option('--ready-timeout <seconds>', 'how long to wait for readiness', parsePositive, 60)
    .action(async (opts: { load: boolean; readyTimeout: number }) => {
      process.exitCode = await upCommand({ load: opts.load, readyTimeoutMs: opts.readyTimeout * 1000 });
    });

  program
    .command('status')
    .description('readiness of every service (exit code 1 when any is not ready)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await statusCommand(opts);
    });

  await program.parseAsync(argv as string[]);
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

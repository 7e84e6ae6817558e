import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { listDeadLettersCommand, redriveDeadLetterCommand } from './commands/dead-letters.command';
import { statusCommand } from './commands/status.command';
import { tapCommand } from './commands/tap.command';
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

  program
    .command('tap')
    .description("print the platform's messages matching a subject pattern, e.g. 'olist.sales.>', as JSON lines")
    .argument('<pattern>', "NATS subject pattern: 'olist.<context>.<event>.v<version>' with * and > wildcards")
    .option('--from-start', 'replay the stream from its first message instead of only new ones')
    .option('--json', 'one JSON object per message (subject, stream, seq, message)')
    .option('--limit <n>', 'stop after n messages', parsePositive)
    .option('--idle <seconds>', 'stop when nothing arrives for this long', parsePositive)
    .action(async (pattern: string, opts: { fromStart?: boolean; json?: boolean; limit?: number; idle?: number }) => {
      process.exitCode = await tapCommand(pattern, { ...opts, idleMs: opts.idle ? opts.idle * 1000 : undefined });
    });

  const deadLetters = program
    .command('dead-letters')
    .description('messages that failed too often and were set aside, per service')
    .option('--json', 'print one JSON object')
    .option('--all', 'include dead letters already re-driven')
    .action(async (opts: { json?: boolean; all?: boolean }) => {
      process.exitCode = await listDeadLettersCommand(opts);
    });
  deadLetters
    .command('redrive')
    .description('apply a dead letter again through its consumer (after the cause is fixed)')
    .argument('<id>', 'dead-letter id as listed, e.g. sales:12')
    .option('--timeout <seconds>', 'how long to wait for the service', parsePositive, 30)
    .action(async (id: string, opts: { timeout: number }) => {
      process.exitCode = await redriveDeadLetterCommand(id, { timeoutMs: opts.timeout * 1000 });
    });

  await program.parseAsync(argv as string[]);
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

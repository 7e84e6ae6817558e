import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { listDeadLettersCommand, redriveDeadLetterCommand } from './commands/dead-letters.command';
import { generateCommand, parseScale, parseSeed } from './commands/generate.command';
import { loadCommand } from './commands/load.command';
import { quarantineCommand } from './commands/quarantine.command';
import { replayCommand } from './commands/replay.command';
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
    .option('--data <dir>', 'load the Olist CSV files of this directory instead of a generated data set')
    .option('--scale <s>', 'scale of the generated data set (1 = the real size)', parseScale, 0.1)
    .option('--seed <n>', 'seed of the generated data set', parseSeed, 42)
    .option('--ready-timeout <seconds>', 'how long to wait for readiness', parsePositive, 60)
    .action(async (opts: { load: boolean; data?: string; scale: number; seed: number; readyTimeout: number }) => {
      process.exitCode = await upCommand({ ...opts, readyTimeoutMs: opts.readyTimeout * 1000 });
    });

  program
    .command('status')
    .description('readiness of every service (exit code 1 when any is not ready)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await statusCommand(opts);
    });

  program
    .command('load')
    .description('load the nine Olist CSV files of a directory: staging, quality rules, raw feed')
    .argument('<dir>', 'directory holding olist_orders_dataset.csv and the other standard files')
    .option('--json', 'print one JSON object: loadId, gate and per-file records, accepted, quarantined, warnings')
    .option('--wait', 'return only when every downstream consumer has caught up')
    .option('--wait-timeout <seconds>', 'give up waiting after this long', parsePositive, 600)
    .option('--max-quarantine-rate <fraction>', 'quality gate: the largest share of a file that may be quarantined', parseFraction, 0.05)
    .action(async (dir: string, opts: { json?: boolean; wait?: boolean; waitTimeout: number; maxQuarantineRate: number }) => {
      process.exitCode = await loadCommand(dir, {
        json: opts.json,
        wait: opts.wait,
        waitTimeoutMs: opts.waitTimeout * 1000,
        maxQuarantineRate: opts.maxQuarantineRate,
      });
    });

  program
    .command('quarantine')
    .description('rows a load held back, with file, line, rule and message')
    .argument('<load>', 'load id, or "latest"')
    .option('--json', 'print one JSON object')
    .action(async (load: string, opts: { json?: boolean }) => {
      process.exitCode = await quarantineCommand(load, opts);
    });

  program
    .command('replay')
    .description('rebuild the warehouse (core and marts) from the event streams and reconcile it with the contexts')
    .option('--json', 'print one JSON object')
    .option('--wait-timeout <seconds>', 'give up waiting after this long', parsePositive, 600)
    .action(async (opts: { json?: boolean; waitTimeout: number }) => {
      process.exitCode = await replayCommand({ json: opts.json, waitTimeoutMs: opts.waitTimeout * 1000 });
    });

  program
    .command('generate')
    .description('write a synthetic Olist data set (the nine CSV files, in the original format) into a directory')
    .requiredOption('--out <dir>', 'directory to write the files to (created when missing)')
    .option('--scale <s>', 'row counts relative to the real data set (1 = 99,441 orders)', parseScale, 0.1)
    .option('--seed <n>', 'random seed: the same seed and scale give byte-identical files', parseSeed, 42)
    .action(async (opts: { out: string; scale: number; seed: number }) => {
      process.exitCode = await generateCommand(opts);
    });

  program
    .command('tap')
    .description("print the platform's events matching a subject pattern, e.g. 'olist.sales.>', one line each (a batch message's events one by one)")
    .argument('<pattern>', "NATS subject pattern: 'olist.<context>.<event>.v<version>' with * and > wildcards")
    .option('--from-start', 'replay the stream from its first message instead of only new ones')
    .option('--json', 'one JSON object per event (subject, stream, seq of its message, message = the envelope)')
    .option('--limit <n>', 'stop after n events', parsePositive)
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

function parseFraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

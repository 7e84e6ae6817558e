import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import type { ImportFile } from '@olist/quality-contracts';
import { stageCsvFile } from './csv-staging.loader';
import { LoadInputError } from './load-input.error';

/** Messages a staging worker posts to the thread that started it. */
export type StagingWorkerMessage =
  | { type: 'progress'; progress: Parameters<NonNullable<Parameters<typeof stageCsvFile>[4]>>[0] }
  | { type: 'done'; result: Awaited<ReturnType<typeof stageCsvFile>> }
  | { type: 'error'; error: { message: string; file?: string; reason?: string; line?: number } };

export interface StagingWorkerData {
  readonly databaseUrl: string;
  readonly loadId: string;
  readonly file: ImportFile;
  readonly path: string;
}

/** Stages one file on a connection and a core of its own, in its own transaction. */
async function run(data: StagingWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('staging.worker runs as a worker thread');
  const client = new Client({ connectionString: data.databaseUrl, application_name: `olist-staging-${data.file}` });
  await client.connect();
  try {
    await client.query('BEGIN');
    const result = await stageCsvFile(client, data.loadId, data.file, data.path, (progress) => port.postMessage({ type: 'progress', progress }));
    await client.query('COMMIT');
    port.postMessage({ type: 'done', result } satisfies StagingWorkerMessage);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const e = error as Partial<LoadInputError>;
    port.postMessage({
      type: 'error',
      error: error instanceof LoadInputError ? { message: error.message, file: e.file, reason: e.reason, line: e.line } : { message: String((error as Error)?.message ?? error) },
    } satisfies StagingWorkerMessage);
  } finally {
    await client.end().catch(() => undefined);
  }
}

if (parentPort) void run(workerData as StagingWorkerData);

import { FileCheck, Gate, Load, LoadFile, LoadSnapshot, LoadStatus } from '@olist/quality-domain';

/** One of the nine files of a data set directory. */
export interface DatasetFile {
  /** Feed name: `orders`, … */
  readonly file: string;
  /** Standard file name: `olist_orders_dataset.csv`, … */
  readonly fileName: string;
  readonly path: string;
}

export interface StagingProgress {
  readonly file: string;
  readonly records: number;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly done?: boolean;
}

export interface FileReport extends FileCheck {
  readonly file: string;
  /** Verdict counts by rule code. */
  readonly rules: Readonly<Record<string, number>>;
}

export interface PublishOutcome {
  /** New or changed rows written to the raw feed. */
  readonly changedRows: number;
  readonly messages: number;
}

/** What loading needs from the outside world; implemented over Postgres in quality-infrastructure. */
export interface LoadDatasetPorts {
  newLoadId(): string;
  now(): Date;
  saveLoad(load: LoadSnapshot): Promise<void>;
  stage(loadId: string, files: readonly DatasetFile[], onProgress: (p: StagingProgress) => void): Promise<LoadFile[]>;
  check(loadId: string): Promise<FileReport[]>;
  /** Writes the feed (gate passed) and the load-checked event in one transaction. */
  publish(load: LoadSnapshot, reports: readonly FileReport[]): Promise<PublishOutcome>;
  /** Drops staging data of older loads. */
  cleanup(loadId: string): Promise<void>;
}

export interface LoadDatasetCommand {
  readonly source: string;
  readonly files: readonly DatasetFile[];
  readonly maxQuarantineRate?: number;
}

export interface LoadSummary {
  readonly loadId: string;
  readonly status: LoadStatus;
  readonly gate: Gate | null;
  readonly unchanged: boolean;
  readonly failure: string | null;
  readonly files: readonly (LoadFile & Partial<FileReport>)[];
  readonly feed: PublishOutcome | null;
  readonly timings: { readonly stagingSeconds: number; readonly checkSeconds: number; readonly publishSeconds: number };
}

/**
 * Loads a data set: register, stage every file, check every row, decide the gate, publish the
 * accepted rows that changed (or nothing, when the gate fails) with the load-checked event.
 * Bad input fails the load with the reason; a failed load never reports success.
 */
export class LoadDatasetHandler {
  constructor(private readonly ports: LoadDatasetPorts) {}

  async execute(command: LoadDatasetCommand, onProgress: (p: StagingProgress) => void = () => undefined): Promise<LoadSummary> {
    const { ports } = this;
    const load = Load.register(ports.newLoadId(), command.source, ports.now());
    await ports.saveLoad(load.snapshot());
    const timings = { stagingSeconds: 0, checkSeconds: 0, publishSeconds: 0 };
    let reports: FileReport[] = [];
    let feed: PublishOutcome | null = null;
    try {
      let t = performance.now();
      const staged = await ports.stage(load.id, command.files, onProgress);
      orThrow(load.staged(staged, ports.now()));
      await ports.saveLoad(load.snapshot());
      timings.stagingSeconds = (performance.now() - t) / 1000;

      t = performance.now();
      reports = await ports.check(load.id);
      const checks = Object.fromEntries(reports.map((r) => [r.file, r]));
      orThrow(load.checked(checks, ports.now(), command.maxQuarantineRate));
      await ports.saveLoad(load.snapshot());
      timings.checkSeconds = (performance.now() - t) / 1000;

      t = performance.now();
      feed = await ports.publish(load.snapshot(), reports);
      if (load.gate === 'passed') {
        orThrow(load.published(feed.changedRows, ports.now()));
        await ports.saveLoad(load.snapshot());
      }
      timings.publishSeconds = (performance.now() - t) / 1000;
      await ports.cleanup(load.id);
    } catch (error) {
      load.failed(error instanceof Error ? error.message : String(error), ports.now());
      await ports.saveLoad(load.snapshot());
      throw error;
    }
    const snapshot = load.snapshot();
    const byFile = new Map(reports.map((r) => [r.file, r]));
    return {
      loadId: snapshot.id,
      status: snapshot.status,
      gate: snapshot.gate,
      unchanged: snapshot.status === 'unchanged',
      failure: snapshot.failure,
      files: snapshot.files.map((f) => ({ ...f, ...byFile.get(f.file) })),
      feed,
      timings,
    };
  }
}

function orThrow<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

import { type DomainError, type Result, domainError, err, ok } from '@olist/shared-kernel';

export type LoadStatus = 'registered' | 'staged' | 'checked' | 'published' | 'unchanged' | 'failed';
export type Gate = 'passed' | 'failed';

export interface LoadFile {
  /** Feed name: `orders`, `order_items`, … */
  readonly file: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number;
}

export interface FileCheck {
  readonly records: number;
  readonly accepted: number;
  readonly quarantined: number;
  readonly warnings: number;
  readonly score: number;
}

export interface LoadSnapshot {
  readonly id: string;
  readonly source: string;
  readonly status: LoadStatus;
  readonly gate: Gate | null;
  readonly failure: string | null;
  readonly files: readonly LoadFile[];
  readonly checks: Readonly<Record<string, FileCheck>>;
  readonly startedAt: Date;
  readonly stagedAt: Date | null;
  readonly checkedAt: Date | null;
  readonly finishedAt: Date | null;
}

/** Default: a file with more than 5 % of its records quarantined fails the gate. */
export const DEFAULT_MAX_QUARANTINE_RATE = 0.05;

export const LoadErrors = {
  wrongStatus: (id: string, action: string, status: LoadStatus) =>
    domainError('LOAD.WRONG_STATUS', `load ${id} cannot ${action} while it is ${status}`),
  unbalanced: (file: string) => domainError('LOAD.UNBALANCED_CHECK', `${file}: accepted + quarantined must equal records`),
  gateFailed: (id: string) => domainError('LOAD.GATE_FAILED', `load ${id} failed its quality gate: nothing is published`),
};

/**
 * One load of the Olist files: registered, staged (files copied, checksums known), checked (every
 * record accepted or quarantined, gate decided), then published — or unchanged when the files
 * hold nothing new — or failed. A failed gate blocks publishing.
 */
export class Load {
  private constructor(private state: LoadSnapshot) {}

  static register(id: string, source: string, now: Date): Load {
    return new Load({
      id,
      source,
      status: 'registered',
      gate: null,
      failure: null,
      files: [],
      checks: {},
      startedAt: now,
      stagedAt: null,
      checkedAt: null,
      finishedAt: null,
    });
  }

  static restore(snapshot: LoadSnapshot): Load {
    return new Load(snapshot);
  }

  get id(): string {
    return this.state.id;
  }

  get status(): LoadStatus {
    return this.state.status;
  }

  get gate(): Gate | null {
    return this.state.gate;
  }

  snapshot(): LoadSnapshot {
    return this.state;
  }

  staged(files: readonly LoadFile[], now: Date): Result<void, DomainError> {
    if (this.state.status !== 'registered') return err(LoadErrors.wrongStatus(this.id, 'be staged', this.state.status));
    this.state = { ...this.state, status: 'staged', files, stagedAt: now };
    return ok(undefined);
  }

  /** Records the per-file verdict counts and decides the gate. */
  checked(checks: Readonly<Record<string, FileCheck>>, now: Date, maxQuarantineRate = DEFAULT_MAX_QUARANTINE_RATE): Result<Gate, DomainError> {
    if (this.state.status !== 'staged') return err(LoadErrors.wrongStatus(this.id, 'be checked', this.state.status));
    for (const [file, c] of Object.entries(checks)) {
      if (c.accepted + c.quarantined !== c.records) return err(LoadErrors.unbalanced(file));
    }
    const failing = Object.entries(checks).filter(([, c]) => c.records > 0 && c.quarantined / c.records > maxQuarantineRate);
    const gate: Gate = failing.length === 0 ? 'passed' : 'failed';
    const failure =
      gate === 'failed'
        ? `quality gate failed: ${failing.map(([f, c]) => `${f} quarantined ${c.quarantined} of ${c.records}`).join(', ')} (more than ${maxQuarantineRate * 100} %)`
        : null;
    this.state = { ...this.state, status: 'checked', checks, gate, failure, checkedAt: now, finishedAt: gate === 'failed' ? now : null };
    return ok(gate);
  }

  /** The feed was written: `changedRows` new or changed rows; none means the load changed nothing. */
  published(changedRows: number, now: Date): Result<LoadStatus, DomainError> {
    if (this.state.status !== 'checked') return err(LoadErrors.wrongStatus(this.id, 'be published', this.state.status));
    if (this.state.gate !== 'passed') return err(LoadErrors.gateFailed(this.id));
    const status: LoadStatus = changedRows === 0 ? 'unchanged' : 'published';
    this.state = { ...this.state, status, finishedAt: now };
    return ok(status);
  }

  failed(reason: string, now: Date): void {
    this.state = { ...this.state, status: 'failed', failure: reason, finishedAt: now };
  }
}

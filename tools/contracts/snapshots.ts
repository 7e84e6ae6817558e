import fs from 'node:fs';
import path from 'node:path';
import {
  checkCompatibility,
  COMPATIBILITY_MODES,
  type CompatibilityMode,
  type CompatibilityProblem,
  type EventContract,
  type JsonSchema,
} from '@olist/messaging/contracts';
import type { ContractLib } from './registry';

/** What is committed for one published contract version: libs/<ctx>/contracts/schemas/<name>.v<N>.json. */
export interface Snapshot {
  readonly type: string;
  readonly version: number;
  readonly compatibility: CompatibilityMode;
  readonly schema: JsonSchema;
}

export type SnapshotComparison =
  | { readonly status: 'missing' }
  | { readonly status: 'equal' }
  | { readonly status: 'compatible'; readonly modes: CompatibilityMode[] }
  | { readonly status: 'incompatible'; readonly modes: CompatibilityMode[]; readonly problems: (CompatibilityProblem & { mode: CompatibilityMode })[] };

/**
 * The snapshot file of a contract, relative to the repository root. A contract of another context
 * than its library's (the raw feed `import.*` in quality's) is named by its full type.
 */
export function snapshotFile(lib: ContractLib, contract: EventContract): string {
  const base = contract.context === lib.context ? contract.name : contract.type;
  return path.posix.join(lib.dir, 'schemas', `${base}.v${contract.version}.json`);
}

export function snapshotOf(contract: EventContract): Snapshot {
  return {
    type: contract.type,
    version: contract.version,
    compatibility: contract.compatibility,
    schema: JSON.parse(JSON.stringify(contract.schema)) as JsonSchema,
  };
}

export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

export function readSnapshot(root: string, file: string): Snapshot | undefined {
  const full = path.join(root, file);
  if (!fs.existsSync(full)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(full, 'utf8')) as Partial<Snapshot>;
  if (
    typeof parsed.type !== 'string' ||
    typeof parsed.version !== 'number' ||
    !COMPATIBILITY_MODES.includes(parsed.compatibility as CompatibilityMode) ||
    typeof parsed.schema !== 'object' ||
    parsed.schema === null
  ) {
    throw new Error(`${file} is not a contract snapshot: it needs type, version, compatibility and schema`);
  }
  return parsed as Snapshot;
}

/** The snapshot files on disk, relative to the root, per library. */
export function snapshotFilesOnDisk(root: string, lib: ContractLib): string[] {
  const dir = path.join(root, lib.dir, 'schemas');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.posix.join(lib.dir, 'schemas', name));
}

/**
 * Compares a contract with its committed snapshot. A changed schema must be compatible under the
 * mode the snapshot promised and under the contract's declared mode (so a mode cannot be loosened
 * in the same change that relies on it).
 */
export function compareWithSnapshot(contract: EventContract, snapshot: Snapshot | undefined): SnapshotComparison {
  if (!snapshot) return { status: 'missing' };
  const current = snapshotOf(contract);
  if (JSON.stringify(current) === JSON.stringify(snapshot)) return { status: 'equal' };
  const modes = [...new Set([snapshot.compatibility, contract.compatibility])];
  const problems = modes.flatMap((mode) => checkCompatibility(snapshot.schema, current.schema, mode).problems.map((p) => ({ ...p, mode })));
  return problems.length === 0 ? { status: 'compatible', modes } : { status: 'incompatible', modes, problems };
}

export function label(contract: EventContract): string {
  return `${contract.type} v${contract.version}`;
}

export function incompatibleMessage(contract: EventContract, file: string, comparison: Extract<SnapshotComparison, { status: 'incompatible' }>): string {
  const modes = [...new Set(comparison.problems.map((p) => p.mode))].join(' and ');
  return [
    `${label(contract)}: the schema is not ${modes} compatible with its snapshot ${file}:`,
    ...comparison.problems.map((p) => `  - ${p.field}: ${p.reason}${comparison.modes.length > 1 ? ` [${p.mode}]` : ''}`),
    `A published version never changes incompatibly: bump the version — add ${contract.name}.v${contract.version + 1}.ts ` +
      `with upcastFrom (v${contract.version} → v${contract.version + 1}) and leave v${contract.version} as it was.`,
  ].join('\n');
}

export function staleMessage(contract: EventContract, file: string, comparison: Extract<SnapshotComparison, { status: 'compatible' }>): string {
  return `${label(contract)}: the schema differs from its snapshot ${file} (the change is ${comparison.modes.join(' and ')} compatible): run npm run contracts:snapshot`;
}

export function missingMessage(contract: EventContract, file: string): string {
  return `${label(contract)} has no snapshot ${file}: run npm run contracts:snapshot`;
}

export interface SnapshotUpdate {
  readonly created: string[];
  readonly rewritten: string[];
  readonly unchanged: string[];
  /** One message per snapshot that was not overwritten, naming the contract, the mode and the field. */
  readonly refused: string[];
  /** Snapshots on disk whose contract version no longer exists. */
  readonly orphans: string[];
}

/** Writes missing snapshots and compatible changes; never overwrites a snapshot with an incompatible schema. */
export function updateSnapshots(root: string, libs: readonly ContractLib[]): SnapshotUpdate {
  const update: SnapshotUpdate = { created: [], rewritten: [], unchanged: [], refused: [], orphans: [] };
  for (const lib of libs) {
    const expected = new Set<string>();
    for (const contract of lib.contracts) {
      const file = snapshotFile(lib, contract);
      expected.add(file);
      const comparison = compareWithSnapshot(contract, readSnapshot(root, file));
      if (comparison.status === 'incompatible') {
        update.refused.push(incompatibleMessage(contract, file, comparison));
        continue;
      }
      if (comparison.status === 'equal') {
        update.unchanged.push(file);
        continue;
      }
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), serializeSnapshot(snapshotOf(contract)));
      (comparison.status === 'missing' ? update.created : update.rewritten).push(file);
    }
    update.orphans.push(...snapshotFilesOnDisk(root, lib).filter((file) => !expected.has(file)));
  }
  return update;
}

export function orphanMessage(file: string): string {
  return `${file} has no contract any more: published versions are never deleted; restore the contract version it describes`;
}

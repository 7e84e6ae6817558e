import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { EventContract, JsonSchema } from './event-contract';
import { validateAgainstSchema } from './schema-validator';

/**
 * Compiled validators (Ajv) answer whether a payload is valid; only an invalid one goes through
 * `validateAgainstSchema`, which explains what is wrong and where. Every outgoing event is
 * validated, so this is on the write path of every context.
 */
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: false }), ['date-time']);

export interface UpcastResult {
  readonly version: number;
  readonly payload: unknown;
}

/** The event contracts a process knows, by type and version. */
export class ContractRegistry {
  private readonly compiled = new Map<JsonSchema, ValidateFunction>();
  private readonly byType = new Map<string, Map<number, EventContract>>();
  private readonly bySubject = new Map<string, EventContract>();

  constructor(...lists: readonly (readonly EventContract[])[]) {
    for (const contract of lists.flat()) this.register(contract);
  }

  private register(contract: EventContract): void {
    if (!Number.isInteger(contract.version) || contract.version < 1) {
      throw new Error(`Contract ${contract.type} has an invalid version ${contract.version}: versions are integers from 1`);
    }
    const versions = this.byType.get(contract.type) ?? new Map<number, EventContract>();
    if (versions.has(contract.version)) throw new Error(`Contract ${label(contract.type, contract.version)} is registered twice`);
    const sameSubject = this.bySubject.get(contract.subject);
    if (sameSubject) {
      throw new Error(`Subject ${contract.subject} is used by both ${label(sameSubject.type, sameSubject.version)} and ${label(contract.type, contract.version)}`);
    }
    versions.set(contract.version, contract);
    this.byType.set(contract.type, versions);
    this.bySubject.set(contract.subject, contract);
  }

  /** The contract of one version; throws when it is not registered. */
  get(type: string, version: number): EventContract {
    const contract = this.find(type, version);
    if (!contract) {
      const known = this.versionsOf(type);
      throw new Error(
        `Unknown event contract ${label(type, version)}` + (known.length ? ` (known versions: ${known.map((v) => `v${v}`).join(', ')})` : ` (no version of ${type} is registered)`),
      );
    }
    return contract;
  }

  find(type: string, version: number): EventContract | undefined {
    return this.byType.get(type)?.get(version);
  }

  /** The contract whose unprefixed subject is `subject`, e.g. `olist.sales.order-placed.v1`. */
  forSubject(subject: string): EventContract | undefined {
    return this.bySubject.get(subject);
  }

  /** The highest registered version of `type`; throws when none is. */
  latest(type: string): EventContract {
    const versions = this.versionsOf(type);
    if (versions.length === 0) throw new Error(`Unknown event type ${type}: no version is registered`);
    return this.get(type, versions[versions.length - 1]);
  }

  /** Every registered contract, ordered by type, then version. */
  all(): EventContract[] {
    return [...this.byType.keys()].sort().flatMap((type) => this.versionsOf(type).map((version) => this.get(type, version)));
  }

  /**
   * Brings a payload written as `version` up to the latest registered version by applying each
   * newer version's `upcastFrom` in turn.
   */
  upcast(type: string, version: number, payload: unknown): UpcastResult {
    const target = this.latest(type).version;
    if (version > target) {
      throw new Error(`Cannot read ${label(type, version)}: the latest known version is v${target}; upgrade the contracts library`);
    }
    let current = payload;
    for (let step = version + 1; step <= target; step++) {
      const contract = this.find(type, step);
      if (!contract) throw new Error(`Cannot upcast ${type} from v${version} to v${target}: v${step} is not registered`);
      if (!contract.upcastFrom) {
        throw new Error(`Cannot upcast ${type} from v${version} to v${target}: v${step} has no upcastFrom (from v${step - 1})`);
      }
      current = contract.upcastFrom(current);
    }
    return { version: target, payload: current };
  }

  /** Problems of `payload` against the schema of `type` v`version`, each `<JSON path>: <problem>`; empty when valid. */
  validate(type: string, version: number, payload: unknown): string[] {
    const schema = this.get(type, version).schema;
    let isValid = this.compiled.get(schema);
    if (!isValid) {
      // The first payload goes through the explaining validator too: it refuses a schema keyword
      // outside the supported subset, as it did before any payload was valid.
      const problems = validateAgainstSchema(schema, payload);
      this.compiled.set(schema, (isValid = ajv.compile(schema)));
      if (problems.length > 0) return problems;
    }
    if (isValid(payload)) return [];
    const problems = validateAgainstSchema(schema, payload);
    return problems.length > 0 ? problems : (isValid.errors ?? []).map((e) => `${jsonPath(e.instancePath)}: ${e.message ?? 'is invalid'}`);
  }

  private versionsOf(type: string): number[] {
    return [...(this.byType.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }
}

function label(type: string, version: number): string {
  return `${type} v${version}`;
}

/** An Ajv instance path (`/items/0/price`) as the JSON path the problems use (`$.items[0].price`). */
function jsonPath(pointer: string): string {
  return `$${pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')}`;
}

import fs from 'node:fs';
import path from 'node:path';
import { validateAgainstSchema } from '@olist/messaging/contracts';
import { EVENTS_DOC, generateEventsDoc } from './events-doc';
import { personalDataProperties } from './personal-data';
import { ALL_CONTRACTS, CONTRACT_LIBS, CONTRACT_REGISTRY, ROOT } from './registry';
import {
  compareWithSnapshot,
  incompatibleMessage,
  label,
  missingMessage,
  orphanMessage,
  readSnapshot,
  snapshotFile,
  snapshotFilesOnDisk,
  staleMessage,
} from './snapshots';

const CONTRACTS_WITH_LIB = CONTRACT_LIBS.flatMap((lib) => lib.contracts.map((contract) => ({ lib, contract })));
const byLabel = ALL_CONTRACTS.map((contract) => [label(contract), contract] as const);

describe('event contracts', () => {
  it('covers the five contracts libraries and the whole catalog', () => {
    expect(CONTRACT_LIBS.map((lib) => lib.context)).toEqual(['sales', 'fulfillment', 'marketplace', 'customer', 'quality']);
    expect(ALL_CONTRACTS).toHaveLength(27);
    expect(CONTRACT_REGISTRY.all()).toHaveLength(ALL_CONTRACTS.length);
  });

  describe('examples', () => {
    it.each(byLabel)('%s: the example is valid against the schema', (_label, contract) => {
      expect(validateAgainstSchema(contract.schema, contract.example)).toEqual([]);
    });
  });

  describe('snapshots', () => {
    it.each(CONTRACTS_WITH_LIB.map(({ lib, contract }) => [label(contract), lib, contract] as const))(
      '%s: the schema equals its snapshot or is compatible with it',
      (_label, lib, contract) => {
        const file = snapshotFile(lib, contract);
        const comparison = compareWithSnapshot(contract, readSnapshot(ROOT, file));
        if (comparison.status === 'missing') throw new Error(missingMessage(contract, file));
        if (comparison.status === 'incompatible') throw new Error(incompatibleMessage(contract, file, comparison));
        if (comparison.status === 'compatible') throw new Error(staleMessage(contract, file, comparison));
        expect(comparison.status).toBe('equal');
      },
    );

    it('has a contract for every snapshot on disk (versions are never deleted silently)', () => {
      const expected = new Set(CONTRACTS_WITH_LIB.map(({ lib, contract }) => snapshotFile(lib, contract)));
      const orphans = CONTRACT_LIBS.flatMap((lib) => snapshotFilesOnDisk(ROOT, lib)).filter((file) => !expected.has(file));
      expect(orphans.map(orphanMessage)).toEqual([]);
    });

    it('names in every snapshot the contract version it belongs to', () => {
      for (const { lib, contract } of CONTRACTS_WITH_LIB) {
        const snapshot = readSnapshot(ROOT, snapshotFile(lib, contract));
        expect({ type: snapshot?.type, version: snapshot?.version }).toEqual({ type: contract.type, version: contract.version });
      }
    });
  });

  describe('naming', () => {
    it.each(byLabel)('%s: type and subject follow the naming rules', (_label, contract) => {
      expect(contract.type).toBe(`${contract.context}.${contract.name}`);
      expect(contract.subject).toBe(`olist.${contract.context}.${contract.name}.v${contract.version}`);
      expect(contract.name).toMatch(contract.context === 'import' ? /^[a-z]+(_[a-z]+)*$/ : /^[a-z]+(-[a-z]+)*$/);
      expect(Number.isInteger(contract.version) && contract.version >= 1).toBe(true);
    });

    it('keeps each library to its own context (the raw feed belongs to quality)', () => {
      for (const { lib, contract } of CONTRACTS_WITH_LIB) {
        expect([lib.context, ...(lib.context === 'quality' ? ['import'] : [])]).toContain(contract.context);
      }
    });

    it('has unique types per version, subjects and titles', () => {
      const unique = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
      expect(unique(ALL_CONTRACTS.map(label))).toEqual([]);
      expect(unique(ALL_CONTRACTS.map((c) => c.subject))).toEqual([]);
      expect(unique(ALL_CONTRACTS.map((c) => c.schema.title ?? ''))).toEqual([]);
    });

    it('numbers the versions of each type from 1 without gaps, each newer one upcasting its predecessor', () => {
      for (const type of new Set(ALL_CONTRACTS.map((c) => c.type))) {
        const versions = ALL_CONTRACTS.filter((c) => c.type === type).sort((a, b) => a.version - b.version);
        versions.forEach((contract, index) => {
          expect(`${type} v${contract.version}`).toBe(`${type} v${index + 1}`);
          if (index === 0) return;
          expect({ contract: label(contract), upcastFrom: typeof contract.upcastFrom }).toEqual({ contract: label(contract), upcastFrom: 'function' });
          const upcast = contract.upcastFrom!(structuredClone(versions[index - 1].example));
          expect(validateAgainstSchema(contract.schema, upcast)).toEqual([]);
        });
      }
    });
  });

  describe('personal data', () => {
    const customerContracts = ALL_CONTRACTS.filter((c) => c.context === 'customer');

    it.each(customerContracts.map((c) => [label(c), c] as const))('%s: no property carries personal data', (_label, contract) => {
      expect(personalDataProperties(contract.schema)).toEqual([]);
    });
  });

  it('docs/events.md is generated from the current contracts', () => {
    const file = path.join(ROOT, EVENTS_DOC);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== generateEventsDoc()) throw new Error(`${EVENTS_DOC} is stale: run npm run contracts:docs`);
  });
});

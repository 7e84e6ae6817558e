import * as quality from './index';

const isContract = (value: unknown): value is { subject: string; context: string } =>
  typeof value === 'object' && value !== null && 'schema' in value && 'subject' in value;

describe('quality contracts', () => {
  const exported = Object.values(quality).filter(isContract);

  it('lists every exported contract in QUALITY_CONTRACTS', () => {
    expect(new Set(quality.QUALITY_CONTRACTS)).toEqual(new Set(exported));
  });

  it('has exactly one subject constant per contract', () => {
    expect(quality.QUALITY_CONTRACTS.map((c) => c.subject).sort()).toEqual(
      [...Object.values(quality.QUALITY_SUBJECTS), ...Object.values(quality.IMPORT_SUBJECTS)].sort(),
    );
  });

  it('has one raw-feed contract per file, on that file’s subject', () => {
    expect(quality.IMPORT_CONTRACTS.map((c) => c.name)).toEqual([...quality.IMPORT_FILES]);
    for (const contract of quality.IMPORT_CONTRACTS) {
      expect(contract.subject).toBe(quality.IMPORT_SUBJECTS[contract.name]);
      expect(Object.keys(contract.schema.properties.rows.items.properties.values.properties)).toEqual([...quality.IMPORT_COLUMNS[contract.name]]);
    }
  });

  it('keeps the source header spelling of the products file', () => {
    expect(quality.IMPORT_COLUMNS.products).toContain('product_name_lenght');
    expect(quality.IMPORT_COLUMNS.products).toContain('product_description_lenght');
  });
});

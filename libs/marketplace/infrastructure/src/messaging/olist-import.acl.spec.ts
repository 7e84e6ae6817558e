import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { translateImportBatch, translateProductRow, translateSellerRow } from './olist-import.acl';

const product = {
  product_id: 'p1',
  product_category_name: 'artes',
  product_name_lenght: '40.0',
  product_description_lenght: '287.0',
  product_photos_qty: '1.0',
  product_weight_g: '225.0',
  product_length_cm: '16.0',
  product_height_cm: '10.0',
  product_width_cm: '14.0',
};

describe('marketplace raw-feed ACL', () => {
  it('reads the float-like numbers of the files', () => {
    const p = translateProductRow(product);
    expect(p.ok && p.value.product.listing()).toEqual({
      productId: 'p1',
      category: 'artes',
      dimensions: { weightG: 225, lengthCm: 16, heightCm: 10, widthCm: 14 },
      photosQty: 1,
      exceptions: [],
    });
  });

  it('decides the missing and zero values: uncategorized and null, each with its reason', () => {
    const p = translateProductRow({ ...product, product_category_name: '', product_weight_g: '0', product_width_cm: '', product_photos_qty: '' });
    expect(p.ok && p.value.product.listing()).toMatchObject({
      category: 'uncategorized',
      dimensions: { weightG: null, widthCm: null },
      photosQty: null,
      exceptions: ['MISSING_CATEGORY', 'MISSING_PHOTOS_QTY', 'MISSING_WIDTH', 'ZERO_WEIGHT'],
    });
  });

  it('refuses unreadable or negative numbers and a missing id', () => {
    for (const bad of ['heavy', '-1', '1,5']) {
      const p = translateProductRow({ ...product, product_weight_g: bad });
      expect(!p.ok && p.error.code).toBe('MARKETPLACE_IMPORT.INVALID_NUMBER');
    }
    expect(translateProductRow({ ...product, product_photos_qty: '1.5' }).ok).toBe(false);
    expect(translateSellerRow({ seller_id: '', seller_zip_code_prefix: '09350', seller_city: 'maua', seller_state: 'SP' }).ok).toBe(false);
  });

  it('records the reasons of accepted rows and refusals with file and line', () => {
    const batch = {
      loadId: 'l1',
      file: 'olist_sellers_dataset.csv' as const,
      batch: 1,
      rows: [
        { line: 2, values: { seller_id: 's1', seller_zip_code_prefix: '1529', seller_city: 'sp / sp', seller_state: 'SP' } },
        { line: 3, values: { seller_id: 's2', seller_zip_code_prefix: '09350', seller_city: 'maua', seller_state: 'ZZ' } },
      ],
    };
    const out = translateImportBatch(IMPORT_SUBJECTS.sellers, batch, '2024-05-01T08:00:00Z');
    expect(out.commands.map((c) => c.kind)).toEqual(['register-seller']);
    expect(out.exceptions.map((e) => [e.entityId, e.code, e.outcome, e.source.line])).toEqual([
      ['s1', 'CITY_IS_UF', 'accepted', 2],
      ['s1', 'ZIP_PADDED', 'accepted', 2],
      ['s2', 'ADDRESS.UF_UNKNOWN', 'refused', 3],
    ]);
    expect(out.exceptions[2]?.message).toMatch(/^olist_sellers_dataset.csv line 3: /);
    expect(translateImportBatch(IMPORT_SUBJECTS.orders, { ...batch, rows: [] } as never, '')).toEqual({ commands: [], exceptions: [] });
  });
});

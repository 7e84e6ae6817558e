import { type Dimensions, Product, ProductErrorCode, UNCATEGORIZED } from './product';

const dims: Dimensions = { weightG: 500, lengthCm: 19, heightCm: 8, widthCm: 13 };
const input: { productId: string; category: string; dimensions: Dimensions; photosQty: number | null } = {
  productId: 'p1',
  category: 'utilidades_domesticas',
  dimensions: dims,
  photosQty: 4,
};
const create = (over: Partial<typeof input> & { exceptions?: string[] } = {}) => Product.create({ ...input, ...over });

describe('Product', () => {
  it('is created with a category, positive measures and sorted exception codes', () => {
    const p = create({ exceptions: ['ZERO_WEIGHT', 'MISSING_CATEGORY', 'ZERO_WEIGHT'] });
    expect(p.ok && p.value.listing()).toEqual({ ...input, exceptions: ['MISSING_CATEGORY', 'ZERO_WEIGHT'] });
  });

  it('accepts the explicit uncategorized category but no empty one', () => {
    const p = create({ category: UNCATEGORIZED });
    expect(p.ok && p.value.uncategorized).toBe(true);
    const empty = create({ category: ' ' });
    expect(!empty.ok && empty.error.code).toBe(ProductErrorCode.EMPTY_CATEGORY);
    const noId = create({ productId: '' });
    expect(!noId.ok && noId.error.code).toBe(ProductErrorCode.EMPTY_ID);
  });

  it('accepts missing measures and refuses zero, negative or non-finite ones', () => {
    expect(create({ dimensions: { weightG: null, lengthCm: null, heightCm: null, widthCm: null } }).ok).toBe(true);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const p = create({ dimensions: { ...dims, weightG: bad } });
      expect(!p.ok && p.error.code).toBe(ProductErrorCode.NON_POSITIVE_MEASURE);
    }
  });

  it('refuses a negative or fractional photo count', () => {
    for (const bad of [-1, 1.5]) {
      const p = create({ photosQty: bad });
      expect(!p.ok && p.error.code).toBe(ProductErrorCode.INVALID_PHOTOS_QTY);
    }
    expect(create({ photosQty: null }).ok).toBe(true);
  });

  it('tells what changed: listed when new or attributes changed, recategorized when the category changed', () => {
    const a = create();
    const same = create();
    const moved = create({ category: 'casa_conforto' });
    const heavier = create({ dimensions: { ...dims, weightG: 600 } });
    if (!a.ok || !same.ok || !moved.ok || !heavier.ok) throw new Error('unexpected');
    expect(a.value.changesSince(null)).toEqual({ listed: true, recategorizedFrom: null });
    expect(same.value.changesSince(a.value)).toEqual({ listed: false, recategorizedFrom: null });
    expect(moved.value.changesSince(a.value)).toEqual({ listed: false, recategorizedFrom: 'utilidades_domesticas' });
    expect(heavier.value.changesSince(a.value)).toEqual({ listed: true, recategorizedFrom: null });
  });
});

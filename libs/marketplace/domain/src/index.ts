export * from './product/product';
export * from './seller/seller';
export * from './category/category-translation';

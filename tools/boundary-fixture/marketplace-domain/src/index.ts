/** Stands in for another context's domain model; reaching it from sales breaks the boundary. */
export class ProductCatalog {
  readonly products: string[] = [];
}

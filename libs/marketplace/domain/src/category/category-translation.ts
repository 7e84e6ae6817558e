import { type DomainError, type Result, domainError, err, ok } from '@olist/shared-kernel';

export const CategoryErrorCode = {
  EMPTY_NAME: 'CATEGORY.EMPTY_NAME',
  EMPTY_TRANSLATION: 'CATEGORY.EMPTY_TRANSLATION',
} as const;

/** The English name of a Portuguese category name. */
export interface CategoryTranslation {
  readonly category: string;
  readonly categoryEn: string;
}

export function translation(category: string, categoryEn: string): Result<CategoryTranslation, DomainError> {
  const pt = category.trim();
  const en = categoryEn.trim();
  if (pt === '') return err(domainError(CategoryErrorCode.EMPTY_NAME, 'category name is empty'));
  if (en === '') return err(domainError(CategoryErrorCode.EMPTY_TRANSLATION, `category "${pt}" has an empty English name`));
  return ok({ category: pt, categoryEn: en });
}

/**
 * The pt → en translations. A category without one is kept as it is (its English name is null)
 * and reported by {@link CategoryTranslations.untranslated}; `uncategorized` is not a category to
 * translate.
 */
export class CategoryTranslations {
  private readonly names: ReadonlyMap<string, string>;

  constructor(translations: Iterable<CategoryTranslation>) {
    this.names = new Map([...translations].map((t) => [t.category, t.categoryEn]));
  }

  english(category: string): string | null {
    return this.names.get(category) ?? null;
  }

  /** The categories among `categories` that have no translation, sorted. */
  untranslated(categories: Iterable<string>, uncategorized = 'uncategorized'): string[] {
    return [...new Set(categories)].filter((c) => c !== uncategorized && !this.names.has(c)).sort();
  }
}

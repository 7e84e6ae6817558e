import { CategoryErrorCode, CategoryTranslations, translation } from './category-translation';

describe('category translations', () => {
  it('trims both names and refuses empty ones', () => {
    expect(translation(' beleza_saude ', 'health_beauty ')).toEqual({ ok: true, value: { category: 'beleza_saude', categoryEn: 'health_beauty' } });
    const noName = translation('', 'x');
    expect(!noName.ok && noName.error.code).toBe(CategoryErrorCode.EMPTY_NAME);
    const noEn = translation('x', '');
    expect(!noEn.ok && noEn.error.code).toBe(CategoryErrorCode.EMPTY_TRANSLATION);
  });

  it('translates pt to en, keeps and reports categories without a translation', () => {
    const t = new CategoryTranslations([{ category: 'beleza_saude', categoryEn: 'health_beauty' }]);
    expect(t.english('beleza_saude')).toBe('health_beauty');
    expect(t.english('portateis_cozinha_e_preparadores_de_alimentos')).toBeNull();
    expect(t.untranslated(['beleza_saude', 'pc_gamer', 'uncategorized', 'pc_gamer', 'artes'])).toEqual(['artes', 'pc_gamer']);
  });
});

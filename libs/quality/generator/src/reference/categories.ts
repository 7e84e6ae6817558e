export interface CategoryProfile {
  /** Portuguese name as in the products file. */
  readonly name: string;
  /** English name from the translation file; absent for the two categories the real file lacks. */
  readonly english?: string;
  /** Relative share of products. */
  readonly weight: number;
  /** Median price, in reais. */
  readonly medianPrice: number;
  /** Median weight, in grams. */
  readonly medianWeight: number;
}

type CategoryRow = readonly [string, string, number, number, number];

// In the order of the original translation file: name, english, product share (%), median price, median weight (g)
const TRANSLATED: readonly CategoryRow[] = [
  ['beleza_saude', 'health_beauty', 7.42, 79, 500],
  ['informatica_acessorios', 'computers_accessories', 5.88, 70, 600],
  ['automotivo', 'auto', 4.67, 75, 800],
  ['cama_mesa_banho', 'bed_bath_table', 9.66, 80, 1200],
  ['moveis_decoracao', 'furniture_decor', 7.44, 70, 1800],
  ['esporte_lazer', 'sports_leisure', 8.56, 80, 700],
  ['perfumaria', 'perfumery', 2.74, 80, 350],
  ['utilidades_domesticas', 'housewares', 6.71, 60, 900],
  ['telefonia', 'telephony', 4.16, 30, 150],
  ['relogios_presentes', 'watches_gifts', 4.26, 140, 350],
  ['alimentos_bebidas', 'food_drink', 0.19, 40, 600],
  ['bebes', 'baby', 3.24, 90, 900],
  ['papelaria', 'stationery', 2.42, 45, 500],
  ['tablets_impressao_imagem', 'tablets_printing_image', 0.06, 90, 500],
  ['brinquedos', 'toys', 4.15, 70, 800],
  ['telefonia_fixa', 'fixed_telephony', 0.26, 60, 400],
  ['ferramentas_jardim', 'garden_tools', 2.28, 60, 1500],
  ['fashion_bolsas_e_acessorios', 'fashion_bags_accessories', 2.38, 45, 300],
  ['eletroportateis', 'small_appliances', 0.73, 150, 2000],
  ['consoles_games', 'consoles_games', 1.02, 60, 300],
  ['audio', 'audio', 0.25, 70, 400],
  ['fashion_calcados', 'fashion_shoes', 0.4, 80, 700],
  ['cool_stuff', 'cool_stuff', 2.9, 120, 1500],
  ['malas_acessorios', 'luggage_accessories', 1.06, 110, 2500],
  ['climatizacao', 'air_conditioning', 0.36, 100, 2000],
  ['construcao_ferramentas_construcao', 'construction_tools_construction', 1.16, 80, 1500],
  ['moveis_cozinha_area_de_servico_jantar_e_jardim', 'kitchen_dining_laundry_garden_furniture', 0.25, 100, 3500],
  ['construcao_ferramentas_jardim', 'costruction_tools_garden', 0.32, 75, 1500],
  ['fashion_roupa_masculina', 'fashion_male_clothing', 0.15, 60, 300],
  ['pet_shop', 'pet_shop', 2.1, 60, 1000],
  ['moveis_escritorio', 'office_furniture', 1.27, 160, 10000],
  ['market_place', 'market_place', 0.36, 70, 800],
  ['eletronicos', 'electronics', 1.93, 30, 250],
  ['eletrodomesticos', 'home_appliances', 0.92, 50, 1000],
  ['artigos_de_festas', 'party_supplies', 0.03, 50, 500],
  ['casa_conforto', 'home_confort', 0.33, 80, 1500],
  ['construcao_ferramentas_ferramentas', 'costruction_tools_tools', 0.11, 80, 1200],
  ['agro_industria_e_comercio', 'agro_industry_and_commerce', 0.21, 200, 3000],
  ['moveis_colchao_e_estofado', 'furniture_mattress_and_upholstery', 0.02, 120, 8000],
  ['livros_tecnicos', 'books_technical', 0.35, 70, 700],
  ['casa_construcao', 'home_construction', 0.55, 80, 1500],
  ['instrumentos_musicais', 'musical_instruments', 0.81, 150, 1500],
  ['moveis_sala', 'furniture_living_room', 0.43, 100, 5000],
  ['construcao_ferramentas_iluminacao', 'construction_tools_lights', 0.22, 80, 800],
  ['industria_comercio_e_negocios', 'industry_commerce_and_business', 0.24, 140, 2500],
  ['alimentos', 'food', 0.24, 40, 600],
  ['artes', 'art', 0.14, 60, 800],
  ['moveis_quarto', 'furniture_bedroom', 0.08, 120, 8000],
  ['livros_interesse_geral', 'books_general_interest', 0.61, 40, 400],
  ['construcao_ferramentas_seguranca', 'construction_tools_safety', 0.21, 90, 1000],
  ['fashion_underwear_e_moda_praia', 'fashion_underwear_beach', 0.19, 40, 200],
  ['fashion_esporte', 'fashion_sport', 0.08, 50, 300],
  ['sinalizacao_e_seguranca', 'signaling_and_security', 0.13, 80, 1000],
  ['pcs', 'computers', 0.16, 1100, 6000],
  ['artigos_de_natal', 'christmas_supplies', 0.13, 50, 600],
  ['fashion_roupa_feminina', 'fashio_female_clothing', 0.06, 60, 300],
  ['eletrodomesticos_2', 'home_appliances_2', 0.33, 400, 10000],
  ['livros_importados', 'books_imported', 0.13, 50, 500],
  ['bebidas', 'drinks', 0.27, 40, 1200],
  ['cine_foto', 'cine_photo', 0.06, 60, 400],
  ['la_cuisine', 'la_cuisine', 0.02, 150, 2000],
  ['musica', 'music', 0.06, 60, 400],
  ['casa_conforto_2', 'home_comfort_2', 0.02, 30, 800],
  ['portateis_casa_forno_e_cafe', 'small_appliances_home_oven_and_coffee', 0.15, 500, 5000],
  ['cds_dvds_musicais', 'cds_dvds_musicals', 0.01, 50, 200],
  ['dvds_blu_ray', 'dvds_blu_ray', 0.14, 40, 200],
  ['flores', 'flowers', 0.06, 30, 400],
  ['artes_e_artesanato', 'arts_and_craftmanship', 0.02, 60, 500],
  ['fraldas_higiene', 'diapers_and_hygiene', 0.01, 40, 2000],
  ['fashion_roupa_infanto_juvenil', 'fashion_childrens_clothes', 0.01, 40, 300],
  ['seguros_e_servicos', 'security_and_services', 0.01, 150, 500],
];

// Categories that occur in the products file but have no row in the translation file.
const UNTRANSLATED: readonly CategoryRow[] = [
  ['pc_gamer', '', 0.03, 200, 1000],
  ['portateis_cozinha_e_preparadores_de_alimentos', '', 0.03, 150, 2500],
];

const toProfile = ([name, english, weight, medianPrice, medianWeight]: CategoryRow): CategoryProfile => ({
  name,
  ...(english ? { english } : {}),
  weight,
  medianPrice,
  medianWeight,
});

/** The 71 categories of the translation file, in its order. */
export const TRANSLATED_CATEGORIES: readonly CategoryProfile[] = TRANSLATED.map(toProfile);

/** Every category products use: the 71 translated ones and the 2 the translation file lacks. */
export const PRODUCT_CATEGORIES: readonly CategoryProfile[] = [...TRANSLATED, ...UNTRANSLATED].map(toProfile);

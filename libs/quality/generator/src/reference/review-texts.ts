/** Phrases review comments are assembled from, by the sentiment of the score. */
export const COMMENT_PHRASES = {
  good: [
    'produto chegou antes do prazo',
    'recebi tudo certinho',
    'muito bom, recomendo',
    'produto de ótima qualidade',
    'entrega rápida',
    'excelente produto',
    'tudo ok',
    'gostei muito',
    'chegou bem embalado',
    'superou minhas expectativas',
    'loja confiável',
    'vendedor atencioso',
    'exatamente como no anúncio',
    'bom custo benefício',
    'minha filha adorou',
    'comprarei novamente',
    'entregue no prazo e bem conservado',
    'material resistente e bonito',
    'funciona perfeitamente',
    'atendeu o que eu precisava',
    'chegou antes do previsto, parabéns',
    '2 dias antes do prazo já estava em casa',
    'nota 10',
    'tamanho certo e acabamento caprichado',
  ],
  neutral: [
    'produto ok, mas a embalagem veio amassada',
    'esperava mais pelo preço',
    'a cor é diferente da foto',
    'a entrega demorou um pouco',
    'razoável',
    'o material é mais fino do que parece',
    'veio só uma parte do pedido, aguardando o restante',
    'cumpre o que promete, nada além',
    'faltou o manual de instruções',
    'o tamanho é menor do que eu imaginava',
    'chegou no prazo mas com um risco na lateral',
    '3 peças vieram com defeito de costura',
  ],
  bad: [
    'não recebi o produto',
    'ainda não recebi meu pedido',
    'produto veio com defeito',
    'veio o produto errado',
    'comprei 2 unidades e recebi apenas 1',
    'péssimo, não recomendo',
    'o prazo de entrega já passou e nada',
    'produto diferente do anunciado',
    'quero a devolução do meu dinheiro',
    'nenhuma resposta do vendedor',
    'o produto chegou quebrado',
    'a loja não responde os e-mails',
    'paguei o frete e o pedido foi cancelado',
    'rastreamento parado há dias',
    '15 dias de atraso e nenhuma satisfação',
  ],
} as const;

/** Complaints with quotation marks, which the CSV has to escape. */
export const QUOTED_PHRASES = [
  'o modelo "premium" veio igual ao básico',
  'a etiqueta dizia "tamanho único" mas não serve',
  'o status ficou em "em trânsito" por uma semana',
  'o anúncio dizia "pronta entrega"',
] as const;

export const TITLES = {
  good: ['recomendo', 'Recomendo', 'super recomendo', 'Ótimo', 'Excelente', 'Muito bom', 'Bom', 'Gostei', 'Perfeito', 'Top'],
  neutral: ['Regular', 'Mais ou menos', 'Razoável', 'Bom', 'Poderia ser melhor'],
  bad: ['Não recebi', 'Péssimo', 'Decepcionado', 'Produto errado', 'Atraso', 'Não recomendo', 'Ruim'],
} as const;

export type Sentiment = keyof typeof COMMENT_PHRASES;

export function sentimentOf(score: number): Sentiment {
  return score >= 4 ? 'good' : score === 3 ? 'neutral' : 'bad';
}

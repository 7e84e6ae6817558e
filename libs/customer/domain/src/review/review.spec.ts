import { Review, ReviewErrorCode, parseSourceTime } from './review';

const input = {
  reviewId: 'a54f0611adc9ed256b57ede6b6eb5114',
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  score: '4',
  title: null,
  message: 'Chegou antes do prazo, bem embalado.',
  createdAt: '2017-10-11 00:00:00',
  answeredAt: '2017-10-12 03:43:48',
};

describe('Review', () => {
  it('keeps score, texts and times, and submits only non-personal attributes', () => {
    const r = Review.submit(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.message).toBe(input.message);
    expect(r.value.submission()).toEqual({
      reviewId: input.reviewId,
      orderId: input.orderId,
      score: 4,
      createdAt: '2017-10-11T00:00:00Z',
      answeredAt: '2017-10-12T03:43:48Z',
      hasComment: true,
    });
    expect(JSON.stringify(r.value.submission())).not.toContain('Chegou');
  });

  it('has no comment when title and message are empty', () => {
    const r = Review.submit({ ...input, message: '  ', title: '' });
    expect(r.ok && r.value.hasComment).toBe(false);
    expect(r.ok && r.value.message).toBeNull();
  });

  it.each(['0', '6', '4.5', 'x', ''])('refuses the score %j', (score) => {
    const r = Review.submit({ ...input, score });
    expect(!r.ok && r.error.code).toBe(ReviewErrorCode.SCORE_INVALID);
  });

  it('accepts a missing answer time and refuses a missing creation date', () => {
    const open = Review.submit({ ...input, answeredAt: null });
    expect(open.ok && open.value.answeredAt).toBeNull();
    const bad = Review.submit({ ...input, createdAt: 'yesterday' });
    expect(!bad.ok && bad.error.code).toBe(ReviewErrorCode.DATE_INVALID);
  });

  it('keeps the same review id on two orders as two reviews', () => {
    const a = Review.submit(input);
    const b = Review.submit({ ...input, orderId: 'f' + input.orderId.slice(1) });
    expect(a.ok && b.ok && a.value.reviewId === b.value.reviewId && a.value.orderId !== b.value.orderId).toBe(true);
  });

  it('reads source and ISO times as UTC', () => {
    expect(parseSourceTime('2018-08-31 23:59:59')).toBe('2018-08-31T23:59:59Z');
    expect(parseSourceTime('2018-08-31T23:59:59Z')).toBe('2018-08-31T23:59:59Z');
    expect(parseSourceTime('2018-02-30 00:00:00')).toBeNull();
  });
});

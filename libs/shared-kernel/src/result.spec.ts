import { type Result, domainError, err, isErr, isOk, mapResult, ok, unwrap } from './result';

describe('Result', () => {
  it('ok() builds a success value', () => {
    const r = ok(42);
    expect(r).toEqual({ ok: true, value: 42 });
    expect(isOk(r)).toBe(true);
    expect(isErr(r)).toBe(false);
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('err() builds a failure value', () => {
    const r = err(domainError('MONEY.NOT_A_NUMBER', 'bad'));
    expect(r).toEqual({ ok: false, error: { code: 'MONEY.NOT_A_NUMBER', message: 'bad' } });
    expect(isOk(r)).toBe(false);
    expect(isErr(r)).toBe(true);
  });

  it('narrows on the ok discriminant', () => {
    const parse = (s: string): Result<number> =>
      /^\d+$/.test(s) ? ok(Number(s)) : err(domainError('TEST.NOT_DIGITS', `"${s}" is not digits`));
    const good = parse('12');
    const bad = parse('x');
    expect(good.ok ? good.value : -1).toBe(12);
    expect(bad.ok ? 'none' : bad.error.code).toBe('TEST.NOT_DIGITS');
  });

  it('mapResult transforms values and passes errors through', () => {
    expect(mapResult(ok(2), (n) => n * 10)).toEqual(ok(20));
    const failure = err(domainError('X.Y', 'nope'));
    expect(mapResult(failure, (n: number) => n * 10)).toBe(failure);
  });

  it('unwrap returns the value or throws with the error code', () => {
    expect(unwrap(ok('a'))).toBe('a');
    expect(() => unwrap(err(domainError('X.Y', 'nope')))).toThrow('X.Y: nope');
    expect(() => unwrap(err('plain'))).toThrow('plain');
  });
});

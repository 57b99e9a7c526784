import { DeniedRowBound } from './denied-bound';

const T0 = new Date('2030-01-01T00:00:00Z');
const after = (ms: number) => new Date(T0.getTime() + ms);

describe('DeniedRowBound', () => {
  it('admits one refusal per actor, action and patient per minute, and counts the others', () => {
    const bound = new DeniedRowBound();
    const admitted = Array.from({ length: 1000 }, (_, i) => bound.admit('bob', 'vitals.read', 'alice', after(i * 10)));
    expect(admitted.filter(Boolean)).toHaveLength(1);
    expect(bound.suppressed).toBe(999);
    expect(bound.admit('bob', 'vitals.read', 'alice', after(60_000))).toBe(true);
  });

  it('keeps separate windows for another actor, action or patient', () => {
    const bound = new DeniedRowBound();
    expect(bound.admit('bob', 'vitals.read', 'alice', T0)).toBe(true);
    expect(bound.admit('eve', 'vitals.read', 'alice', T0)).toBe(true);
    expect(bound.admit('bob', 'records.read', 'alice', T0)).toBe(true);
    expect(bound.admit('bob', 'vitals.read', 'carol', T0)).toBe(true);
    expect(bound.admit('bob', 'vitals.read', 'alice', T0)).toBe(false);
  });

  it('forgets the oldest windows past its capacity, which can only write a row again', () => {
    const bound = new DeniedRowBound(60_000, 2);
    expect(bound.admit('a', 'x', 'p', T0)).toBe(true);
    expect(bound.admit('b', 'x', 'p', T0)).toBe(true);
    expect(bound.admit('c', 'x', 'p', T0)).toBe(true);
    expect(bound.admit('a', 'x', 'p', after(1))).toBe(true);
    expect(bound.admit('c', 'x', 'p', after(1))).toBe(false);
  });
});

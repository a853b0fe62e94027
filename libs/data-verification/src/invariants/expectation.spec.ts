import { meetsExpectation, scalarMatches } from './expectation';

describe('meetsExpectation', () => {
  it('compares a scalar against a one-row, one-column result', () => {
    expect(meetsExpectation([{ count: '0' }], 0)).toEqual({ passed: true, actual: '0' });
    expect(meetsExpectation([{ count: '3' }], 0)).toEqual({ passed: false, actual: '3' });
  });

  it('fails a scalar expectation when the shape is wrong', () => {
    const outcome = meetsExpectation([{ a: '1', b: '2' }], 1);
    expect(outcome.passed).toBe(false);
    expect(outcome.reason).toMatch(/one row with one column/);
  });

  it('compares rows in order by column name', () => {
    const rows = [
      { id: '1', ok: 't' },
      { id: '2', ok: null },
    ];
    expect(meetsExpectation(rows, [{ id: 1, ok: true }, { ok: null, id: '2' }]).passed).toBe(true);
    expect(meetsExpectation(rows, [{ id: 2, ok: null }, { id: 1, ok: true }]).reason).toMatch(/row 1, column id/);
    expect(meetsExpectation(rows, [{ id: 1, ok: true }]).reason).toMatch(/1 rows were expected/);
    expect(meetsExpectation(rows, [{ id: 1 }, { id: 2 }]).reason).toMatch(/columns/);
  });
});

describe('scalarMatches', () => {
  it('compares numbers numerically and big integers exactly', () => {
    expect(scalarMatches('1.50', 1.5)).toBe(true);
    expect(scalarMatches('9007199254740993', 9007199254740992)).toBe(false);
    expect(scalarMatches('', 0)).toBe(false);
  });

  it('maps booleans and keeps NULL apart from text', () => {
    expect(scalarMatches('t', true)).toBe(true);
    expect(scalarMatches('f', true)).toBe(false);
    expect(scalarMatches(null, null)).toBe(true);
    expect(scalarMatches(null, '')).toBe(false);
    expect(scalarMatches('null', null)).toBe(false);
  });
});

import { InvalidOptionError } from '../errors/invalid-option.error';
import { resolveBisectionOptions } from './bisection-options';

describe('resolveBisectionOptions', () => {
  it('defaults to data-diff-like settings', () => {
    expect(resolveBisectionOptions({})).toEqual({ bisectionFactor: 32, leafRows: 1000, maxKeys: 100 });
  });

  it.each([{ bisectionFactor: 1 }, { leafRows: 0 }, { maxKeys: -1 }, { leafRows: 2.5 }])('rejects %j', (options) => {
    expect(() => resolveBisectionOptions(options)).toThrow(InvalidOptionError);
  });
});

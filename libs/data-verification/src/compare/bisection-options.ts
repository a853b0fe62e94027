import { InvalidOptionError } from '../errors/invalid-option.error';

export interface BisectionOptions {
  /** Sub-ranges a mismatching range is cut into per level (data-diff's bisection factor). Default 32. */
  bisectionFactor?: number;
  /** A range with at most this many rows on both sides is compared row by row. Default 1 000. */
  leafRows?: number;
  /** How many keys of each kind (added, removed, changed) the report lists; counts stay exact. Default 100. */
  maxKeys?: number;
}

export type ResolvedBisectionOptions = Required<BisectionOptions>;

export function resolveBisectionOptions(options: BisectionOptions): ResolvedBisectionOptions {
  const resolved = {
    bisectionFactor: options.bisectionFactor ?? 32,
    leafRows: options.leafRows ?? 1_000,
    maxKeys: options.maxKeys ?? 100,
  };
  if (!Number.isInteger(resolved.bisectionFactor) || resolved.bisectionFactor < 2) {
    throw new InvalidOptionError('bisectionFactor', `must be an integer >= 2, got ${options.bisectionFactor}`);
  }
  if (!Number.isInteger(resolved.leafRows) || resolved.leafRows < 1) {
    throw new InvalidOptionError('leafRows', `must be an integer >= 1, got ${options.leafRows}`);
  }
  if (!Number.isInteger(resolved.maxKeys) || resolved.maxKeys < 0) {
    throw new InvalidOptionError('maxKeys', `must be an integer >= 0, got ${options.maxKeys}`);
  }
  return resolved;
}

import type { SchemaView } from '../../document/schema-view';
import type { OpenApiVersion } from '../../document/openapi-contract';

/** What values a schema's `type`, `format` and nullability admit, in either OpenAPI dialect. */
export interface TypeFacts {
  /** Non-null types; `undefined` when the schema says nothing (any type). */
  types?: string[];
  nullable: boolean;
  format?: string;
}

export type TypeVerdict = 'same' | 'widened' | 'narrowed' | 'incomparable';

export interface TypeComparison {
  verdict: TypeVerdict;
  /** Which keyword decided: the type set, or the format of an unchanged type set. */
  decidedBy: 'type' | 'format';
}

export function typeFactsOf(view: SchemaView, version: OpenApiVersion): TypeFacts {
  const declared = view.keywords.get('type')?.value;
  const listed = typeof declared === 'string' ? [declared] : Array.isArray(declared) ? declared.filter((type): type is string => typeof type === 'string') : undefined;
  // 3.0 says `nullable: true`; 3.1 (JSON Schema) lists "null" among the types.
  const nullable = (version === '3.0' && view.keywords.get('nullable')?.value === true) || (listed?.includes('null') ?? false);
  const format = view.keywords.get('format')?.value;
  return {
    ...(listed === undefined ? {} : { types: listed.filter((type) => type !== 'null').sort() }),
    nullable,
    ...(typeof format === 'string' ? { format } : {}),
  };
}

/** Did the set of accepted non-null values grow, shrink, stay, or move sideways? Every integer is a number. */
export function compareTypes(before: TypeFacts, after: TypeFacts): TypeComparison {
  const byType = compareTypeSets(before.types, after.types);
  if (byType !== 'same') return { verdict: byType, decidedBy: 'type' };
  const byFormat: TypeVerdict =
    before.format === after.format ? 'same' : before.format === undefined ? 'narrowed' : after.format === undefined ? 'widened' : 'incomparable';
  return { verdict: byFormat, decidedBy: 'format' };
}

function compareTypeSets(before: string[] | undefined, after: string[] | undefined): TypeVerdict {
  if (before === undefined && after === undefined) return 'same';
  if (after === undefined) return 'widened';
  if (before === undefined) return 'narrowed';
  const covers = (types: string[], type: string): boolean => types.includes(type) || (type === 'integer' && types.includes('number'));
  const widened = before.every((type) => covers(after, type));
  const narrowed = after.every((type) => covers(before, type));
  if (widened && narrowed) return 'same';
  return widened ? 'widened' : narrowed ? 'narrowed' : 'incomparable';
}

export function describeType(facts: TypeFacts): string {
  return `${facts.types?.join('|') || 'any'}${facts.format === undefined ? '' : `/${facts.format}`}`;
}

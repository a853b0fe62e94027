import { isJsonObject } from '../../document/json-node';

/** How far an endpoint or parameter had gone toward removal in the running contract. */
export type Retirement =
  | { stage: 'active' }
  | { stage: 'deprecated' }
  | { stage: 'before-sunset'; sunset: string }
  | { stage: 'past-sunset' }
  | { stage: 'unreadable-sunset'; sunset: unknown };

/**
 * oasdiff's reading of `deprecated` and `x-sunset` (a date, `2030-01-31`, or an RFC 3339 time whose
 * own calendar date counts): a removal is sanctioned once deprecated, but not before the sunset.
 */
export function retirementOf(declaration: unknown, now: Date): Retirement {
  if (!isJsonObject(declaration) || declaration.deprecated !== true) return { stage: 'active' };
  const sunset = declaration['x-sunset'];
  if (sunset === undefined) return { stage: 'deprecated' };
  const date = sunsetDate(sunset);
  if (date === undefined) return { stage: 'unreadable-sunset', sunset };
  return now.toISOString().slice(0, 10) < date ? { stage: 'before-sunset', sunset: date } : { stage: 'past-sunset' };
}

function sunsetDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const date = value.slice(0, 10);
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
  if (!isDate) return undefined;
  if (value.length === 10) return date;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) ? date : undefined;
}

import { z } from 'zod';

/**
 * Value types the migration spec and its `monitor` section share: durations, SQL text, percentages,
 * and the rule that lets cross-field checks run beside other problems.
 */

/**
 * Cross-field rules run even when a field of the same object is already wrong, so one answer
 * lists every problem; they only need the value to be an object.
 */
export const evenWithOtherProblems = {
  when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/**
 * An object that carries exactly one of `keys` (a step's kind, a metric's source): the issue when it
 * carries none (`missing_<what>`) or several (`multiple_<what>s`), naming them.
 */
export function addExactlyOneKeyIssue(
  ctx: z.core.$RefinementCtx,
  value: Record<string, unknown>,
  keys: readonly string[],
  names: { owner: string; what: string; code: string },
): void {
  const present = keys.filter((key) => value[key] !== undefined);
  if (present.length === 0) {
    ctx.addIssue({ code: 'custom', params: { code: `missing_${names.code}` }, message: `a ${names.owner} has exactly one ${names.what}: one of ${keys.join(', ')}` });
  } else if (present.length > 1) {
    ctx.addIssue({ code: 'custom', params: { code: `multiple_${names.code}s` }, message: `a ${names.owner} has exactly one ${names.what}, this one has ${present.join(' and ')}` });
  }
}

/** SQL text: Postgres cannot carry a NUL byte, and a blank script is always a mistake. */
export const SqlText = z
  .string()
  .max(1_000_000, 'SQL text is at most 1 MB')
  .refine((sql) => sql.trim().length > 0, 'SQL text cannot be empty')
  .refine((sql) => !sql.includes('\0'), 'SQL text cannot contain a NUL byte');

/**
 * `72h`, `30m`, `0s`, `1d12h`, `250ms`: units in the order d, h, m, s, ms, each at most once (`m`
 * is minutes unless an `s` follows). Capped at a year so an extra digit cannot turn a window into
 * centuries (or overflow a timer).
 */
const DURATION = /^(?=\d)(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m(?!s))?(?:(\d{1,6})s)?(?:(\d{1,6})ms)?$/;
export const MAX_DURATION_MS = 365 * 24 * 3600 * 1000;

/** Milliseconds of a spec duration (`72h` → 259200000, `250ms` → 250), or null when it is not one. */
export function durationToMs(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const [days, hours, minutes, seconds, millis] = match.slice(1).map((part) => Number(part ?? 0));
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

export const Duration = z
  .string()
  .regex(DURATION, 'a duration is like 72h, 30m, 0s, 1d12h or 250ms (units d, h, m, s, ms in that order)')
  .refine((text) => (durationToMs(text) ?? 0) <= MAX_DURATION_MS, 'a duration is at most 365d');

/** A duration of at least `minMs` (a window that judges nothing, a probe that never pauses). */
export const durationAtLeast = (minMs: number, what: string, least: string) =>
  Duration.refine((text) => (durationToMs(text) ?? minMs) >= minMs, `${what} is at least ${least}`);

const PERCENT = /^(\d{1,4})(\.\d{1,2})?%$/;
export const MAX_PERCENT = 1000;

/** The fraction a spec percentage stands for (`20%` → 0.2, `12.5%` → 0.125), or null when it is not one. */
export function percentToFraction(text: string): number | null {
  if (!PERCENT.test(text)) return null;
  // Integer hundredths first: `14.3%` as 14.3 / 100 would be 0.14300000000000002.
  const [whole, fraction = ''] = text.slice(0, -1).split('.');
  const hundredths = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return hundredths / 10_000;
}

export const Percent = z
  .string({ error: 'a percentage is written like 20% (a string, with the % sign)' })
  .regex(PERCENT, 'a percentage is written like 20% or 12.5%')
  .refine((text) => (percentToFraction(text) ?? 1) > 0, 'a percentage is more than 0%')
  .refine((text) => (percentToFraction(text) ?? 0) <= MAX_PERCENT / 100, `a percentage is at most ${MAX_PERCENT}%`);

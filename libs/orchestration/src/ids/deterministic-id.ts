import { createHash } from 'node:crypto';

/**
 * A name-based (version 5 layout, SHA-1) UUID from its parts: the process manager and the
 * rollback-manager derive command and event ids this way, so a decision taken twice (a redelivered
 * event, a restart) produces the same ids and the store and the bus drop the repeat.
 */
export function deterministicId(...parts: string[]): string {
  const bytes = createHash('sha1').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Baseline labels: one before each phase (`before-phase-0` is the pre-migration state). */
export const baselineLabel = (phaseIndex: number): string => `before-phase-${phaseIndex}`;
export const phaseCheckLabel = (phaseIndex: number): string => `after-phase-${phaseIndex}`;
export const PRE_MIGRATION_BASELINE = baselineLabel(0);
export const RESTORATION_LABEL = 'restoration';

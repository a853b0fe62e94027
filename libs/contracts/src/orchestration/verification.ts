import { z } from 'zod';
import { defineCommand, defineEvent } from '../message-definition';
import { SpecInvariant } from '../migration-spec';

/**
 * The data-verifier's vocabulary. Baselines are recorded in the migration's stream (`BaselineTaken`)
 * under a label (`before:<phase>`); a comparison names the label it compares against, so any copy
 * of the data-verifier can run it from the stream alone.
 */
const Ref = {
  migrationId: z.string().min(1),
  target: z.string().regex(/^[a-z][a-z0-9_]*$/, 'target names are a-z, 0-9 and "_"'),
  commandId: z.uuid(),
};
/** `schema.table` (or `table`, meaning `public.table`). */
const TableName = z.string().min(1).max(130);
const Label = z.string().min(1).max(200);

export const TakeBaselines = defineCommand(
  'verify.baseline',
  1,
  z.object({
    ...Ref,
    label: Label,
    /** Tables whose rows are checksummed (they exist). */
    tables: z.array(TableName),
    /** Tables whose catalog shape is fingerprinted: every table the migration touches, existing or not. */
    fingerprint: z.array(TableName).default([]),
  }),
);

/** After a backfill: every row of `table` satisfies new = up(old). `column` is the column as the new version names it. */
export const EquivalenceCheck = z.object({ table: TableName, column: z.string().min(1), up: z.string().min(1), stepId: z.string() });
export type EquivalenceCheck = z.infer<typeof EquivalenceCheck>;

export const CompareWithBaselines = defineCommand(
  'verify.compare',
  1,
  z.object({
    ...Ref,
    /** This comparison's own label: `after:<phase>`, `restoration`. */
    label: Label,
    /** Label of the `BaselineTaken` to compare with. */
    against: Label,
    /**
     * `no-loss` fails only when a baselined row is gone (live writes may add and change rows);
     * `identical` fails on any difference (a rollback with the application stopped).
     */
    mode: z.enum(['no-loss', 'identical']),
    equivalence: z.array(EquivalenceCheck).default([]),
    /** Rows sampled per equivalence check, or `full`. */
    sample: z.union([z.number().int().positive(), z.literal('full')]).default('full'),
    /** Also compare the baseline's schema fingerprint (a restoration: the shape must be the one before). */
    schema: z.boolean().default(false),
  }),
);

export const RunVerifyStep = defineCommand(
  'verify.step',
  1,
  z.object({
    ...Ref,
    stepId: z.string().min(1),
    tables: z.array(TableName).default([]),
    checksums: z.boolean().default(true),
    invariants: z.array(SpecInvariant).default([]),
    /** Baseline the tables are compared with (the migration's first). */
    against: Label,
  }),
);

export const TableBaselineSummary = z.object({
  table: TableName,
  rowCount: z.number().int().nonnegative(),
  segments: z.number().int().nonnegative(),
  /** The baseline itself (`@bascule/data-verification` Baseline): what a comparison recomputes against. */
  baseline: z.unknown(),
});

export const BaselineTaken = defineEvent(
  'BaselineTaken',
  1,
  z.object({
    migrationId: z.string(),
    label: Label,
    tables: z.array(TableBaselineSummary),
    /** `@bascule/data-verification` SchemaFingerprint of the `fingerprint` tables (absent in events recorded before it existed). */
    schema: z.object({ digest: z.string(), tables: z.array(z.unknown()) }).optional(),
    durationMs: z.number(),
  }),
);

const KeyCount = z.object({ count: z.number().int().nonnegative(), sample: z.array(z.record(z.string(), z.string())) });
export const TableComparison = z.object({
  table: TableName,
  baselineRowCount: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative(),
  equal: z.boolean(),
  added: KeyCount.nullable(),
  removed: KeyCount.nullable(),
  changed: KeyCount.nullable(),
  /** Segments whose checksums differ, when keys could not be named. */
  mismatchedSegments: z.number().int().nonnegative(),
});
export type TableComparison = z.infer<typeof TableComparison>;

export const EquivalenceResult = z.object({
  table: TableName,
  column: z.string(),
  stepId: z.string(),
  checkedRows: z.number().int().nonnegative(),
  mismatchedRows: z.number().int().nonnegative(),
  examples: z.array(z.unknown()),
});

export const InvariantOutcome = z.object({ name: z.string(), passed: z.boolean(), actual: z.unknown(), expected: z.unknown(), message: z.string().optional() });

export const DataCompared = defineEvent(
  'DataCompared',
  1,
  z.object({
    migrationId: z.string(),
    label: Label,
    against: Label,
    mode: z.enum(['no-loss', 'identical']),
    passed: z.boolean(),
    tables: z.array(TableComparison),
    equivalence: z.array(EquivalenceResult),
    /** With `schema: true`: the fingerprint now against the baseline's, every difference named. */
    schema: z.object({ equal: z.boolean(), differences: z.array(z.string()) }).optional(),
    durationMs: z.number(),
  }),
);

const StepResult = {
  migrationId: z.string(),
  stepId: z.string(),
  tables: z.array(TableComparison),
  invariants: z.array(InvariantOutcome),
  durationMs: z.number(),
};
export const VerifyStepPassed = defineEvent('VerifyStepPassed', 1, z.object(StepResult));
export const VerifyStepFailed = defineEvent('VerifyStepFailed', 1, z.object({ ...StepResult, message: z.string() }));

/** A verification could not run at all (table gone, timeout, bad invariant SQL): not a data verdict. */
export const VerificationErrored = defineEvent(
  'VerificationErrored',
  1,
  z.object({ migrationId: z.string(), command: z.enum(['verify.baseline', 'verify.compare', 'verify.step']), label: Label.nullable(), stepId: z.string().nullable(), code: z.string(), message: z.string() }),
);

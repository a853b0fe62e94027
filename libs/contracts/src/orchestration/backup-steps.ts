import { z } from 'zod';
import { defineCommand, defineEvent } from '../message-definition';

/**
 * `backup` steps, run by the data-verifier: pg_dump (custom format) of the step's tables into
 * BASCULE_BACKUP_DIR, then a restore of the file into a scratch database whose per-table checksums
 * must equal the live tables' in the dump's own snapshot. A backup that was never restored is not
 * one, so `BackupTaken` is only recorded once the restore check passed.
 */
const StepRef = {
  migrationId: z.string().min(1),
  stepId: z.string().min(1),
  target: z.string().regex(/^[a-z][a-z0-9_]*$/, 'target names are a-z, 0-9 and "_"'),
  commandId: z.uuid(),
};
/** `schema.table` (or `table`, meaning `public.table`). */
const TableName = z.string().min(1).max(130);

export const TakeBackup = defineCommand('backup.take', 1, z.object({ ...StepRef, tables: z.array(TableName).min(1) }));

/** Row count and checksum (exact sum of 64-bit row hashes, `@bascule/data-verification`) of one table. */
const TableChecksum = z.object({ rowCount: z.number().int().nonnegative(), checksum: z.string() });

export const BackupTableCheck = z.object({
  table: TableName,
  /** The live table, in the dump's snapshot. */
  source: TableChecksum,
  /** The table restored from the file into the scratch database. */
  restored: TableChecksum,
  equal: z.boolean(),
});
export type BackupTableCheck = z.infer<typeof BackupTableCheck>;

const Fact = { migrationId: z.string(), stepId: z.string(), target: z.string() };

export const BackupTaken = defineEvent(
  'BackupTaken',
  1,
  z.object({
    ...Fact,
    /** Absolute path of the dump file on the data-verifier's host. */
    path: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    format: z.literal('custom'),
    tables: z.array(z.object({ table: TableName, rowCount: z.number().int().nonnegative(), checksum: z.string() })),
    restoreCheck: z.object({
      /** The scratch database the file was restored into (dropped afterwards). */
      database: z.string(),
      tables: z.array(BackupTableCheck),
      passed: z.boolean(),
      durationMs: z.number(),
    }),
    durationMs: z.number(),
  }),
);

export const BackupFailed = defineEvent(
  'BackupFailed',
  1,
  z.object({
    ...Fact,
    /** BACKUP_DIR_NOT_SET, PG_TOOL_NOT_FOUND, PG_DUMP_FAILED, SCRATCH_DATABASE_FAILED, RESTORE_FAILED, BACKUP_CHECKSUM_MISMATCH, … */
    code: z.string(),
    message: z.string(),
    /** Set when the restore check ran and a table differed. */
    tables: z.array(BackupTableCheck).optional(),
  }),
);

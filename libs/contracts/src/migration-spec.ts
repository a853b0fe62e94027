import { z } from 'zod';
import { ApiStepBody } from './api-spec';
import { AnalysisStepBody, MonitorSection, withWatchDefault } from './monitor-spec';
import { addExactlyOneKeyIssue, Duration, evenWithOtherProblems, SqlText } from './spec-values';

export { durationToMs, MAX_DURATION_MS } from './spec-values';

/**
 * The migration spec a user writes (ARCHITECTURE.md, "Migration spec": the outer shape is a
 * contract). Every object is strict so a typo is reported with its path instead of being ignored.
 * Cross-field rules (unique names, dependsOn, cycles, `file:` refs, the pgroll operations
 * themselves) live in `@bascule/migration-spec`, which validates the whole document.
 */

/** The kinds a step may have; a step carries exactly one of these keys. */
export const STEP_KINDS = ['schema', 'sql', 'verify', 'approval', 'analysis', 'api', 'backup'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Postgres truncates identifiers beyond 63 bytes: longer names could silently collide. */
export const MAX_SPEC_NAME_BYTES = 63;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** Spec, phase and step names: ASCII so byte length equals length, and safe inside a schema name. */
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const article = (what: string) => (/^[aeiou]/i.test(what) ? 'an' : 'a');
const safeName = (what: string) =>
  z
    .string()
    .max(MAX_SPEC_NAME_BYTES, `${article(what)} ${what} is at most ${MAX_SPEC_NAME_BYTES} characters`)
    .regex(SAFE_NAME, `${article(what)} ${what} starts with a letter and holds only letters, digits, "_" and "-"`);

const SpecName = safeName('migration name');
const PhaseName = safeName('phase name');
const StepId = safeName('step id');

/** Upper-cased into env `BASCULE_TARGET_<NAME>_URL`, so only what an env name can hold. */
const TargetName = z
  .string()
  .max(MAX_SPEC_NAME_BYTES, `a target name is at most ${MAX_SPEC_NAME_BYTES} characters`)
  .regex(/^[a-z][a-z0-9_]*$/, 'a target name starts with a lowercase letter and holds only a-z, 0-9 and "_"');

/** The env variable holding a target's connection URL (never written in a spec or an event). */
export function targetUrlEnvName(target: string): string {
  return `BASCULE_TARGET_${target.toUpperCase()}_URL`;
}

/** Same rule as the schema engine's identifiers (pgroll names may hold "-" and "$"). */
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_$-]*$/u;
const identifier = (what: string) =>
  z
    .string()
    .regex(IDENTIFIER, `a ${what} starts with a letter or "_" and holds only letters, digits, "_", "$" or "-"`)
    .refine((name) => utf8Bytes(name) <= MAX_SPEC_NAME_BYTES, `a ${what} is at most ${MAX_SPEC_NAME_BYTES} bytes`);

const PhysicalSchemaName = identifier('schema name');
/** `accounts` or `schema.accounts`. */
const TableRef = z
  .string()
  .regex(/^[\p{L}_][\p{L}\p{N}_$-]*(\.[\p{L}_][\p{L}\p{N}_$-]*)?$/u, 'a table is "name" or "schema.name" (letters, digits, "_", "$", "-")')
  .refine((name) => name.split('.').every((part) => utf8Bytes(part) <= MAX_SPEC_NAME_BYTES), `each part is at most ${MAX_SPEC_NAME_BYTES} bytes`);

/** One pgroll operation: `{<kind>: {...}}`. Its body is validated by the schema engine. */
const PgrollOperation = z
  .record(z.string(), z.unknown())
  .refine((operation) => Object.keys(operation).length === 1, 'an operation is an object with exactly one key (its kind)')
  .meta({ minProperties: 1, maxProperties: 1 });

export const SchemaStepBody = z
  .strictObject({
    file: z.string().min(1).max(1024).optional().describe('A pgroll-format migration file (.yaml, .yml, .json), relative to the spec\'s directory'),
    version_schema: z.string().min(1).max(MAX_SPEC_NAME_BYTES).optional().describe('Name of the version schema instead of the step id: <schema>_<version_schema>'),
    operations: z.array(PgrollOperation).min(1, 'a migration needs at least one operation').optional().describe('pgroll operations, each {<kind>: {...}}: see SCHEMA-OPERATIONS.md'),
    schema: PhysicalSchemaName.default('public').describe('Physical schema the step changes'),
    backfill: z
      .strictObject({
        batchSize: z.int().min(1).max(1_000_000).optional(),
        delayMs: z.int().min(0).max(3_600_000).optional(),
        targetBatchMs: z.int().min(0).max(60_000).optional(),
      })
      .optional()
      .describe(
        'Backfill batches: targetBatchMs, the duration each batch is sized to take (engine default 50; 0: fixed batchSize); ' +
          'batchSize, the first batch\'s rows (engine default 5000) — given without targetBatchMs, every batch\'s; delayMs, the pause between batches',
      ),
  })
  .superRefine((body, ctx) => {
    if ((body.file === undefined) === (body.operations === undefined)) {
      ctx.addIssue({ code: 'custom', params: { code: 'invalid_schema_step' }, message: 'a schema step has either "operations" (inline) or "file", not both and not neither' });
    }
    if (body.file !== undefined && body.version_schema !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['version_schema'], params: { code: 'invalid_schema_step' }, message: 'set version_schema inside the referenced file' });
    }
  }, evenWithOtherProblems)
  .meta({ oneOf: [{ required: ['operations'] }, { required: ['file'], not: { required: ['version_schema'] } }] });

/** Sqitch-style: `up` applies, `down` reverts, `verify` proves `up` took effect (fails by raising). */
export const SqlStepBody = z
  .strictObject({
    up: SqlText.describe('SQL applied by the step'),
    down: SqlText.optional().describe('SQL that undoes up; required unless irreversible: true'),
    verify: SqlText.optional().describe('SQL run after up; the step fails if it raises an error'),
    irreversible: z.boolean().optional().describe('Declares that the step has no down (rollback cannot undo it)'),
  })
  .superRefine((body, ctx) => {
    if (body.down === undefined && body.irreversible !== true) {
      ctx.addIssue({ code: 'custom', path: ['down'], params: { code: 'field_required' }, message: 'down is required: give the SQL that undoes up, or declare irreversible: true' });
    }
    if (body.down !== undefined && body.irreversible === true) {
      ctx.addIssue({ code: 'custom', path: ['irreversible'], params: { code: 'invalid_value' }, message: 'an irreversible step has no down: remove one of them' });
    }
  }, evenWithOtherProblems)
  .meta({
    oneOf: [
      { required: ['down'], properties: { irreversible: { const: false } } },
      { required: ['irreversible'], properties: { irreversible: { const: true } }, not: { required: ['down'] } },
    ],
  });

const ExpectedScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** An invariant query and the value it must return (the data verifier's expectation shape). */
export const SpecInvariant = z.strictObject({
  name: safeName('invariant name'),
  sql: SqlText,
  expect: z.union([ExpectedScalar, z.array(z.record(z.string(), ExpectedScalar))]),
});

export const VerifyStepBody = z
  .strictObject({
    tables: z.array(TableRef).min(1).optional().describe('Tables baselined before the migration and compared after it'),
    checksums: z.boolean().default(true).describe('Compare chunked checksums besides row counts'),
    invariants: z.array(SpecInvariant).min(1).optional().describe('Queries whose result must equal expect'),
  })
  .superRefine((body, ctx) => {
    if (body.tables === undefined && body.invariants === undefined) {
      ctx.addIssue({ code: 'custom', params: { code: 'field_required' }, message: 'a verify step names tables, invariants, or both' });
    }
    const seen = new Set<string>();
    (Array.isArray(body.invariants) ? body.invariants : []).forEach((invariant, index) => {
      if (typeof invariant?.name !== 'string') return;
      if (seen.has(invariant.name)) {
        ctx.addIssue({ code: 'custom', path: ['invariants', index, 'name'], params: { code: 'duplicate_name' }, message: `invariant "${invariant.name}" is defined twice` });
      }
      seen.add(invariant.name);
    });
  }, evenWithOtherProblems)
  .meta({ anyOf: [{ required: ['tables'] }, { required: ['invariants'] }] });

/** Waits for `POST` approval through the planner's REST API. */
export const ApprovalStepBody = z.strictObject({
  approvers: z
    .array(z.string().regex(/^[A-Za-z0-9._@+-]{1,254}$/, 'an approver is a user name or e-mail address'))
    .min(1)
    .optional()
    .describe('Who may approve; anyone allowed by the planner when absent'),
  message: z.string().min(1).max(2000).optional().describe('Shown to the approvers'),
});

/** A backup step's table: `name` or `schema.name`, plain identifiers only (they reach pg_dump's `--table` patterns). */
export const BACKUP_TABLE_NAME = /^[\p{L}_][\p{L}\p{N}_$-]*(\.[\p{L}_][\p{L}\p{N}_$-]*)?$/u;

/**
 * Dumps tables before an irreversible step. The names reach pg_dump's `--table` patterns, so only
 * plain identifiers pass (no quotes, wildcards or spaces), and the error quotes the refused name.
 */
export const BackupStepBody = z.strictObject({
  tables: z
    .array(
      z
        .string()
        .regex(BACKUP_TABLE_NAME, { error: (issue) => `${JSON.stringify(String(issue.input).slice(0, 80))} is not a table name: use "name" or "schema.name" (letters, digits, "_", "$", "-")` })
        .refine((name) => name.split('.').every((part) => utf8Bytes(part) <= MAX_SPEC_NAME_BYTES), `each part is at most ${MAX_SPEC_NAME_BYTES} bytes`),
    )
    .min(1, 'a backup step names at least one table')
    .max(500)
    .describe('Tables to dump, "name" (schema public) or "schema.name"'),
});

export const MigrationStep = z
  .strictObject({
    id: StepId.describe('Unique in the spec; a schema step\'s migration is named after it'),
    dependsOn: z.array(StepId).max(500).optional().describe('Steps of this phase or an earlier one that must finish first'),
    schema: SchemaStepBody.optional(),
    sql: SqlStepBody.optional(),
    verify: VerifyStepBody.optional(),
    approval: ApprovalStepBody.optional(),
    analysis: AnalysisStepBody.optional().describe('Holds the phase while the monitor judges its metrics (needs a monitor section)'),
    api: ApiStepBody.optional().describe('Moves a service from one API version to the next through a router, canary step by canary step'),
    backup: BackupStepBody.optional().describe('Dumps tables (pg_dump custom format) to BASCULE_BACKUP_DIR and proves the file restores to the same rows'),
  })
  .superRefine((step, ctx) => addExactlyOneKeyIssue(ctx, step, STEP_KINDS, { owner: 'step', what: 'kind', code: 'step_kind' }), evenWithOtherProblems)
  .meta({ oneOf: STEP_KINDS.map((kind) => ({ required: [kind] })) });

export const MigrationPhase = z.strictObject({
  name: PhaseName,
  steps: z.array(MigrationStep).min(1, 'a phase needs at least one step').max(500, 'a phase has at most 500 steps'),
});

export const RollbackPolicy = z.strictObject({
  automatic: z.boolean().default(true).describe('Roll back by itself when a step, verification or analysis fails'),
  window: Duration.default('72h').describe('How long complete (contract) waits unless told to complete now: 72h, 30m, 0s'),
});

export const MigrationSpec = z
  .strictObject({
    $schema: z.string().optional().describe('Where editors find this schema; ignored'),
    name: SpecName.describe('Name of the migration'),
    target: TargetName.describe('Target database; its connection comes from env BASCULE_TARGET_<NAME>_URL'),
    phases: z
      .array(MigrationPhase)
      .min(1, 'a migration needs at least one phase')
      .max(100, 'a migration has at most 100 phases')
      .describe('Run in order; the steps of a phase run in parallel unless dependsOn says otherwise'),
    rollback: RollbackPolicy.default({ automatic: true, window: '72h' }),
    rehearse: z.boolean().default(false).describe('Ask the planner to rehearse the migration before running it for real'),
    monitor: MonitorSection.optional().describe('Performance baseline before the first phase, judged windows during the migration and after it'),
  })
  .meta({ title: 'Bascule migration spec' })
  // Defaults that depend on another field: the monitor watches as long as the rollback window lasts.
  .transform(({ monitor, ...spec }) => ({ ...spec, ...(monitor ? { monitor: withWatchDefault(monitor, spec.rollback.window) } : {}) }));

export type MigrationSpec = z.infer<typeof MigrationSpec>;
export type MigrationSpecInput = z.input<typeof MigrationSpec>;
export type MigrationPhase = z.infer<typeof MigrationPhase>;
export type MigrationStep = z.infer<typeof MigrationStep>;
export type SchemaStepBody = z.infer<typeof SchemaStepBody>;
export type SqlStepBody = z.infer<typeof SqlStepBody>;
export type VerifyStepBody = z.infer<typeof VerifyStepBody>;
export type ApprovalStepBody = z.infer<typeof ApprovalStepBody>;
export type BackupStepBody = z.infer<typeof BackupStepBody>;
export type SpecInvariant = z.infer<typeof SpecInvariant>;
export type RollbackPolicy = z.infer<typeof RollbackPolicy>;

/** The kind of a valid step (the one kind key it carries). */
export function stepKind(step: MigrationStep): StepKind {
  const kind = STEP_KINDS.find((candidate) => step[candidate] !== undefined);
  if (!kind) throw new Error(`step "${step.id}" has no kind: validate the spec before reading it`);
  return kind;
}

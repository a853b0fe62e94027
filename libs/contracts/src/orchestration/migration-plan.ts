import { z } from 'zod';
import { STEP_KINDS } from '../migration-spec';

/**
 * What `POST /migrations` answers and `MigrationPlanned` records: for every step what it will do,
 * how it is undone, what it is expected to cost and what risks were found. Facts about the target
 * (row counts, sizes) come from introspection at plan time; they are estimates, not promises.
 */
export const PlanRisk = z.object({
  /** Stable rule name: a squawk rule (`adding-not-nullable-field`) or a Bascule one (`irreversible-step`). */
  rule: z.string(),
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  /** Path in the spec the risk is about: `phases[0].steps[1].sql.up`. */
  path: z.string().optional(),
  /** The safe alternative, when the rule has one. */
  suggestion: z.string().optional(),
  /** An api step's contract change: the operation it concerns (`GET /orders/{id}`), absent for document-wide ones. */
  operation: z.string().optional(),
  /**
   * An api step's contract change: JSON pointer to where it is written, in the step's `to`
   * document, or in `from` for what was removed (`/paths/~1orders/get/responses/200`).
   */
  pointer: z.string().optional(),
});
export type PlanRisk = z.infer<typeof PlanRisk>;

/** How a step is undone. `none`: nothing to undo (verify, approval, analysis); `irreversible`: a sql step without down. */
export const StepCompensation = z.object({
  action: z.enum(['schema.rollback', 'sql.revert', 'api.rollback', 'none', 'irreversible']),
  description: z.string(),
});
export type StepCompensation = z.infer<typeof StepCompensation>;

/**
 * Why a step waits for a person before its command goes out (an `api` step with `breaking:
 * approve` and error-level contract changes): the process manager records StepApprovalRequested
 * and dispatches the step only after a StepApproved from someone other than whoever started it.
 */
export const StepApprovalRequirement = z.object({
  reason: z.enum(['breaking_contract']),
  message: z.string(),
});
export type StepApprovalRequirement = z.infer<typeof StepApprovalRequirement>;

export const PlannedStep = z.object({
  id: z.string(),
  kind: z.enum(STEP_KINDS),
  dependsOn: z.array(z.string()),
  /** Wave inside its phase: steps of one wave run in parallel. */
  wave: z.number().int().nonnegative(),
  summary: z.string(),
  compensation: StepCompensation,
  /** Tables (`schema.table`) the step reads or changes, as far as the planner can tell. */
  tables: z.array(z.string()),
  estimate: z.object({
    rows: z.number().nullable(),
    backfillSeconds: z.number().nullable(),
  }),
  risks: z.array(PlanRisk),
  /** Set when the step may not run before someone approves it (absent otherwise). */
  requiresApproval: StepApprovalRequirement.optional(),
});
export type PlannedStep = z.infer<typeof PlannedStep>;

export const PlannedTable = z.object({
  table: z.string(),
  exists: z.boolean(),
  rows: z.number().nullable(),
  bytes: z.number().nullable(),
  primaryKey: z.array(z.string()),
  indexes: z.array(z.string()),
  foreignKeys: z.array(z.string()),
  dependentViews: z.array(z.string()),
});
export type PlannedTable = z.infer<typeof PlannedTable>;

export const MigrationPlan = z.object({
  phases: z.array(z.object({ name: z.string(), steps: z.array(PlannedStep) })),
  /** Every existing table the migration touches: baselined before each phase, compared after. */
  tables: z.array(PlannedTable),
  risks: z.array(PlanRisk),
  estimatedSeconds: z.number().nullable(),
});
export type MigrationPlan = z.infer<typeof MigrationPlan>;

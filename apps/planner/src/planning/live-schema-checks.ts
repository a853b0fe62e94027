import type { MigrationSpec } from '@bascule/contracts';
import type { SpecProblem } from '@bascule/migration-spec';
import { InvalidMigrationError, parseMigration, SchemaEngine } from '@bascule/schema-engine';

interface SchemaStepAt {
  path: string;
  stepId: string;
  schema: string;
  body: NonNullable<MigrationSpec['phases'][number]['steps'][number]['schema']>;
}

export function schemaStepsOf(spec: MigrationSpec): SchemaStepAt[] {
  return spec.phases.flatMap((phase, phaseIndex) =>
    phase.steps.flatMap((step, stepIndex) =>
      step.schema ? [{ path: `phases[${phaseIndex}].steps[${stepIndex}].schema`, stepId: step.id, schema: step.schema.schema, body: step.schema }] : [],
    ),
  );
}

/**
 * The engine keeps one active migration per physical schema, and a schema step stays active until
 * the migration completes: a second schema step on the same schema could never start.
 */
export function sharedSchemaProblems(spec: MigrationSpec): SpecProblem[] {
  const first = new Map<string, SchemaStepAt>();
  const problems: SpecProblem[] = [];
  for (const step of schemaStepsOf(spec)) {
    const earlier = first.get(step.schema);
    if (!earlier) {
      first.set(step.schema, step);
      continue;
    }
    problems.push({
      path: step.path,
      code: 'schema_already_migrated',
      message: `step "${step.stepId}" changes schema "${step.schema}" like step "${earlier.stepId}" (${earlier.path}); the engine runs one migration per schema at a time: merge their operations into one step`,
    });
  }
  return problems;
}

/** Every schema step validated by the engine against the live target; paths point into the spec. */
export async function liveSchemaProblems(spec: MigrationSpec, databaseUrl: string): Promise<SpecProblem[]> {
  const problems: SpecProblem[] = [];
  for (const step of schemaStepsOf(spec)) {
    const engine = new SchemaEngine({ databaseUrl, schema: step.schema });
    try {
      const body = { ...(step.body.version_schema ? { version_schema: step.body.version_schema } : {}), operations: step.body.operations ?? [] };
      const issues = await engine.validate(parseMigration(body, step.stepId, 'json'));
      for (const issue of issues) problems.push({ path: `${step.path}.${issue.path}`, code: issue.code, message: issue.message });
    } catch (error) {
      if (!(error instanceof InvalidMigrationError)) throw error;
      for (const issue of error.issues) problems.push({ path: `${step.path}.${issue.path}`, code: issue.code, message: issue.message });
    } finally {
      await engine.close();
    }
  }
  return problems;
}

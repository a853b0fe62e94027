import type { MigrationSpec } from '@bascule/contracts';
import { loadSqlParser } from '@bascule/schema-engine';
import { apiStepChecks } from './api/api-step-checks';
import { withApiDocumentsInlined } from './api/inline-api-documents';
import { contractProblems } from './checks/contract-problems';
import { dependencyProblems } from './checks/dependency-problems';
import { monitorProblems } from './checks/monitor-problems';
import { rawPhasesOf } from './checks/raw-spec';
import { schemaStepChecks, type SchemaStepChecks } from './checks/schema-step-checks';
import { sqlTextProblems } from './checks/sql-text-problems';
import { uniqueNameProblems } from './checks/unique-names';
import { decodeSpecText, specFormatOf } from './decode/decode-spec-text';
import { inDocumentOrder } from './problems/document-order';
import { withoutDuplicates, type SpecProblem } from './problems/spec-problem';

export interface ParseSpecOptions {
  /** `application/json` parses JSON; anything else (or nothing) YAML. Ignored for an object. */
  contentType?: string;
  /** Directory `schema.file` and `openapi: file:` refs are relative to (and confined to); without it they are refused. */
  baseDir?: string;
}

export type ParseSpecResult = { ok: true; spec: MigrationSpec } | { ok: false; problems: SpecProblem[] };

/** The engine reports the operations and version_schema of the steps it checked; once is enough. */
function reportedByEngine(problem: SpecProblem, checks: SchemaStepChecks): boolean {
  const match = /^(phases\[\d+\]\.steps\[\d+\]\.schema)\.(operations|version_schema)(?=$|[.[])/.exec(problem.path);
  return match !== null && problem.file === undefined && checks.deepChecked.has(match[1]);
}

/** Replaces each `schema.file` by the file's migration, so the parsed spec stands on its own (events, replay). */
function withFilesInlined(spec: MigrationSpec, checks: SchemaStepChecks): MigrationSpec {
  return {
    ...spec,
    phases: spec.phases.map((phase, phaseIndex) => ({
      ...phase,
      steps: phase.steps.map((step, stepIndex) => {
        const loaded = checks.loadedFiles.get(`phases[${phaseIndex}].steps[${stepIndex}]`);
        if (!step.schema || !loaded) return step;
        const { file: _file, ...body } = step.schema;
        const versionSchema = typeof loaded.version_schema === 'string' ? { version_schema: loaded.version_schema } : {};
        return { ...step, schema: { ...body, ...versionSchema, operations: loaded.operations as Array<Record<string, unknown>> } };
      }),
    })),
  };
}

/**
 * Parses and validates a migration spec (ARCHITECTURE.md "Migration spec"): YAML/JSON text or a
 * decoded object. Either the spec, with defaults applied and `file:` refs (migrations, OpenAPI
 * documents) inlined, or every problem found, each with its path
 * (`phases[1].steps[0].schema.operations[2].alter_column.up`).
 */
export async function parseMigrationSpec(input: string | unknown, options: ParseSpecOptions = {}): Promise<ParseSpecResult> {
  let document = input;
  if (typeof input === 'string') {
    const decoded = decodeSpecText(input, specFormatOf(options.contentType));
    if (!decoded.ok) return decoded;
    document = decoded.document;
  }
  await loadSqlParser();
  const phases = rawPhasesOf(document);
  const contract = contractProblems(document);
  const schemaSteps = await schemaStepChecks(phases, options.baseDir);
  const apiSteps = await apiStepChecks(phases, options.baseDir);
  const problems = inDocumentOrder(withoutDuplicates([
    ...contract.problems.filter((problem) => !reportedByEngine(problem, schemaSteps)),
    ...uniqueNameProblems(phases),
    ...dependencyProblems(phases),
    ...schemaSteps.problems,
    ...sqlTextProblems(phases),
    ...monitorProblems(document, phases),
    ...apiSteps.problems,
  ]), document);
  if (problems.length > 0 || !contract.spec) return { ok: false, problems };
  return { ok: true, spec: withApiDocumentsInlined(withFilesInlined(contract.spec, schemaSteps), apiSteps) };
}

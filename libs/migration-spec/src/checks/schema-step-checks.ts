import { versionSchemaName } from '@bascule/schema-engine';
import { MAX_SPEC_NAME_BYTES } from '@bascule/contracts';
import { loadReferencedFile } from '../files/load-referenced-file';
import type { SpecProblem } from '../problems/spec-problem';
import { isRecord, type RawPhase, type RawStep } from './raw-spec';
import { validateSchemaStepBody } from './validate-schema-step-body';

export interface SchemaStepChecks {
  problems: SpecProblem[];
  /** Paths (`phases[0].steps[1].schema`) whose operations the schema engine validated in depth. */
  deepChecked: Set<string>;
  /** Content of each `schema.file`, by step path, to inline into the parsed spec. */
  loadedFiles: Map<string, Record<string, unknown>>;
}

interface VersionSchemaUse {
  name: string;
  path: string;
}

/** The migration body a schema step names, inline or from its file; null when there is none to check. */
async function migrationOf(step: RawStep, body: Record<string, unknown>, baseDir: string | undefined, checks: SchemaStepChecks) {
  const schemaPath = `${step.path}.schema`;
  if (body.operations !== undefined && body.file === undefined) {
    const { operations, version_schema } = body;
    return { document: version_schema === undefined ? { operations } : { operations, version_schema }, file: undefined };
  }
  if (typeof body.file !== 'string' || body.operations !== undefined) return null;
  const file = body.file;
  if (baseDir === undefined) {
    checks.problems.push({ path: `${schemaPath}.file`, code: 'file_refs_unavailable', message: 'file references need the spec\'s directory (the CLI has it; a REST body must inline "operations")', file });
    return null;
  }
  const loaded = await loadReferencedFile(file, baseDir);
  if (!loaded.ok) {
    checks.problems.push(...loaded.problems.map((problem) => ({ path: `${schemaPath}.file`, ...problem })));
    return null;
  }
  if (isRecord(loaded.document)) checks.loadedFiles.set(step.path, loaded.document);
  return { document: loaded.document, file };
}

/**
 * Version schemas are `<schema>_<id>` (or `<schema>_<version_schema>`): Postgres truncates names
 * over 63 bytes, and two steps sharing one would overwrite each other's views.
 */
function versionSchemaProblems(uses: VersionSchemaUse[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const first = new Map<string, string>();
  for (const use of uses) {
    if (Buffer.byteLength(use.name, 'utf8') > MAX_SPEC_NAME_BYTES) {
      problems.push({ path: use.path, code: 'version_schema_too_long', message: `version schema "${use.name}" is longer than ${MAX_SPEC_NAME_BYTES} bytes: shorten the step id or set a shorter version_schema` });
    }
    const earlier = first.get(use.name);
    if (earlier !== undefined) {
      problems.push({ path: use.path, code: 'duplicate_version_schema', message: `version schema "${use.name}" is already used by ${earlier}` });
    } else first.set(use.name, use.path);
  }
  return problems;
}

/** Loads `file:` refs, validates every schema step's migration in depth, checks version schema names. */
export async function schemaStepChecks(phases: RawPhase[], baseDir: string | undefined): Promise<SchemaStepChecks> {
  const checks: SchemaStepChecks = { problems: [], deepChecked: new Set(), loadedFiles: new Map() };
  const uses: VersionSchemaUse[] = [];
  for (const step of phases.flatMap((phase) => phase.steps)) {
    const body = step.fields.schema;
    if (!isRecord(body)) continue;
    const migration = await migrationOf(step, body, baseDir, checks);
    if (!migration || step.id === undefined) continue;
    const schemaPath = `${step.path}.schema`;
    checks.deepChecked.add(schemaPath);
    checks.problems.push(...validateSchemaStepBody(migration.document, step.id, schemaPath, migration.file));
    const physical = typeof body.schema === 'string' ? body.schema : 'public';
    const versionSchema = isRecord(migration.document) && typeof migration.document.version_schema === 'string' ? migration.document.version_schema : undefined;
    uses.push({
      name: versionSchemaName(physical, { name: step.id, versionSchema }),
      path: versionSchema === undefined ? `${step.path}.id` : `${schemaPath}.version_schema`,
    });
  }
  checks.problems.push(...versionSchemaProblems(uses));
  return checks;
}

import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { isApiContractError, loadOpenApiDocument, type JsonObject } from '@bascule/api-contract';
import { isRecord } from '../checks/raw-spec';
import { loadReferencedFile, type FileProblem } from '../files/load-referenced-file';
import { confinedRefProblems, type DocumentPlace } from './confined-refs';

const FILE_PREFIX = 'file:';

/**
 * Where an inline document "is" when the spec has no directory. Nothing is read from it: every
 * reference to a file was refused before, so it only names the document in the parser's messages.
 */
const NO_SPEC_DIRECTORY = resolve(tmpdir(), 'bascule-spec-without-directory');

export type CheckedDocument = { ok: true; document: JsonObject } | { ok: false; problems: FileProblem[] };

const refused = (problems: FileProblem[]): CheckedDocument => ({ ok: false, problems });

/** The document an `openapi:` names, and where it sits; null when the contract schema reports the value. */
async function sourceOf(openapi: unknown, label: string, baseDir: string | undefined): Promise<{ document: Record<string, unknown>; place: DocumentPlace } | CheckedDocument | null> {
  if (isRecord(openapi)) return { document: openapi, place: { dir: baseDir ?? NO_SPEC_DIRECTORY } };
  if (typeof openapi !== 'string' || !openapi.startsWith(FILE_PREFIX) || openapi.length === FILE_PREFIX.length) return null;
  const file = openapi.slice(FILE_PREFIX.length);
  if (baseDir === undefined) {
    return refused([{ code: 'file_refs_unavailable', message: 'file references need the spec\'s directory (the CLI has it; a REST body must inline the OpenAPI document)', file }]);
  }
  const loaded = await loadReferencedFile(file, baseDir, 'an OpenAPI document');
  if (!loaded.ok) return refused(loaded.problems);
  // A file holding a bare string must not reach the library, which would read it as a `file:` source.
  if (!isRecord(loaded.document)) return refused([{ code: 'invalid_openapi', message: `${label}: "${file}" does not hold an object at its top level`, file }]);
  return { document: loaded.document, place: { dir: dirname(resolve(baseDir, file)), file } };
}

/**
 * One `openapi:` of an api step, inline or `file:<path>`, checked the way the api-agent will read
 * it: OpenAPI 3.0/3.1, valid, every `$ref` resolvable. The result is self-contained (references to
 * other files bundled in), so the spec stored in MigrationPlanned needs no file at run time.
 */
export async function checkOpenApiDocument(openapi: unknown, label: string, baseDir: string | undefined): Promise<CheckedDocument | null> {
  const source = await sourceOf(openapi, label, baseDir);
  if (source === null || 'ok' in source) return source;
  const refProblems = await confinedRefProblems(source.document, source.place, baseDir);
  if (refProblems.length > 0) return refused(mergedByCode(refProblems));
  const inFile = source.place.file === undefined ? {} : { file: source.place.file };
  try {
    const contract = await loadOpenApiDocument(source.document, { baseDir: source.place.dir, label });
    return { ok: true, document: contract.bundled };
  } catch (error) {
    // Only the library's typed refusals are the spec's problem; anything else is a bug to surface.
    if (!isApiContractError(error)) throw error;
    return refused([{ code: error.code.toLowerCase(), message: error.message, ...inFile }]);
  }
}

/**
 * Problems of one document share its spec path (`…api.to.openapi`), and the parser keeps one
 * problem per path and code: say every `$ref` of a kind in one message, as the library does.
 */
function mergedByCode(problems: FileProblem[]): FileProblem[] {
  const merged = new Map<string, FileProblem>();
  for (const problem of problems) {
    const key = `${problem.file ?? ''}\0${problem.code}`;
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, message: `${earlier.message}; ${problem.message}` } : problem);
  }
  return [...merged.values()];
}

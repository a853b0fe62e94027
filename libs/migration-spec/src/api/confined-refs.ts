import { dirname, relative, resolve } from 'node:path';
import { loadReferencedFile, type FileProblem, type LoadedFile } from '../files/load-referenced-file';
import { externalRefsOf, isUrlRef } from './external-refs';

/** Where a document sits: its directory (its relative `$ref`s resolve there) and its file, when it has one. */
export interface DocumentPlace {
  dir: string;
  /** Relative to the spec's directory; absent for a document written inline in the spec. */
  file?: string;
}

const OPENAPI_FILE = 'an OpenAPI document';

/**
 * Checks every `$ref` to another file before Swagger Parser follows it, recursively through the
 * files it reaches. The parser reads any path or `file://` URL it is given; a spec sent over REST
 * could otherwise pull `/etc/…` into the stored spec, where `GET /migrations/:id/events` shows it.
 * So: without the spec's directory no file is read at all; with it, only files inside it, under the
 * same rules (and loader) as `schema.file`. URLs are never followed: planning must not reach the
 * network.
 */
export async function confinedRefProblems(document: unknown, place: DocumentPlace, baseDir: string | undefined, loaded = new Map<string, LoadedFile>()): Promise<FileProblem[]> {
  const problems: FileProblem[] = [];
  const inFile = place.file === undefined ? {} : { file: place.file };
  for (const { ref, pointer, target } of externalRefsOf(document)) {
    const at = `$ref "${ref}" at ${place.file ?? ''}#${pointer}`;
    if (isUrlRef(target)) {
      problems.push({ code: 'url_ref_refused', message: `${at}: URLs are not followed (planning never reaches the network); copy what it points to into the document or a file next to it`, ...inFile });
      continue;
    }
    if (baseDir === undefined) {
      problems.push({ code: 'file_refs_unavailable', message: `${at}: references to other files need the spec's directory (the CLI has it; a REST body must inline the whole document)`, ...inFile });
      continue;
    }
    const absolute = resolve(place.dir, target);
    const file = relative(resolve(baseDir), absolute);
    // Many `$ref`s name one shared file: it is read, and its own references checked, once.
    const known = loaded.get(absolute);
    const result = known ?? (await loadReferencedFile(file, baseDir, OPENAPI_FILE));
    loaded.set(absolute, result);
    if (!result.ok) {
      // The loader's `file` (and line) is the file referred to: where the fix goes.
      problems.push(...result.problems.map((problem) => ({ ...problem, message: `${at}: ${problem.message}` })));
    } else if (!known) {
      problems.push(...(await confinedRefProblems(result.document, { dir: dirname(absolute), file }, baseDir, loaded)));
    }
  }
  return problems;
}

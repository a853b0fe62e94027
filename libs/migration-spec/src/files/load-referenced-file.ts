import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { decodeSpecText, MAX_SPEC_TEXT_BYTES } from '../decode/decode-spec-text';
import type { SpecProblem } from '../problems/spec-problem';

const FILE_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** A problem without its path: the caller knows which `schema.file` (or `api.*.openapi`) it came from. */
export type FileProblem = Omit<SpecProblem, 'path'>;

export type LoadedFile = { ok: true; document: unknown } | { ok: false; problems: FileProblem[] };

function isInside(baseDir: string, path: string): boolean {
  const rel = relative(baseDir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

const refused = (code: string, message: string, file: string): LoadedFile => ({ ok: false, problems: [{ code, message, file }] });

/**
 * Loads a `schema.file` reference (or an api step's OpenAPI document): relative to `baseDir`, never
 * outside it (neither by `..` nor by a symlink, hence the second check on the real path), YAML or
 * JSON by extension. `what` names the file in messages.
 */
export async function loadReferencedFile(file: string, baseDir: string, what = 'a migration file'): Promise<LoadedFile> {
  if (file.includes('\0')) return refused('invalid_value', 'a file name cannot contain a NUL byte', file);
  if (isAbsolute(file)) return refused('file_outside_base_dir', `"${file}" must be a path relative to the spec's directory`, file);
  const base = resolve(baseDir);
  const path = resolve(base, file);
  if (!isInside(base, path)) return refused('file_outside_base_dir', `"${file}" points outside the spec's directory`, file);
  const extension = extname(path).toLowerCase();
  if (!FILE_EXTENSIONS.includes(extension)) {
    return refused('invalid_file_type', `"${file}" is not ${what}: expected .yaml, .yml or .json`, file);
  }
  let text: string;
  try {
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(path)]);
    if (!isInside(realBase, realFile)) return refused('file_outside_base_dir', `"${file}" links outside the spec's directory`, file);
    if ((await stat(realFile)).size > MAX_SPEC_TEXT_BYTES) return refused('file_too_large', `"${file}" is larger than ${MAX_SPEC_TEXT_BYTES} bytes`, file);
    text = await readFile(realFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return refused('file_not_found', `"${file}" does not exist (relative to the spec's directory)`, file);
    return refused('file_unreadable', `cannot read "${file}": ${code ?? 'error'}`, file);
  }
  const decoded = decodeSpecText(text, extension === '.json' ? 'json' : 'yaml');
  if (!decoded.ok) return { ok: false, problems: decoded.problems.map(({ path: _path, ...problem }) => ({ ...problem, file })) };
  return { ok: true, document: decoded.document };
}

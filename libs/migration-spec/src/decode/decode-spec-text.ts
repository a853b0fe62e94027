import { LineCounter, parseDocument } from 'yaml';
import type { SpecProblem } from '../problems/spec-problem';

export type SpecFormat = 'yaml' | 'json';

/** Bigger than any hand-written spec; refusing early keeps a hostile body from eating memory. */
export const MAX_SPEC_TEXT_BYTES = 1024 * 1024;

const MAX_SYNTAX_PROBLEMS = 20;

export type DecodeResult = { ok: true; document: unknown } | { ok: false; problems: SpecProblem[] };

/** `application/json` (or any `+json`) is JSON; everything else, including no type, is YAML. */
export function specFormatOf(contentType: string | undefined): SpecFormat {
  return contentType && /json/i.test(contentType) ? 'json' : 'yaml';
}

function syntaxProblem(format: SpecFormat, message: string, position?: { line: number; col: number }): SpecProblem {
  const where = position ? ` (line ${position.line}, column ${position.col})` : '';
  return {
    path: '',
    code: format === 'json' ? 'invalid_json' : 'invalid_yaml',
    message: `not valid ${format.toUpperCase()}${where}: ${message}`,
    ...(position ? { line: position.line, column: position.col } : {}),
  };
}

/**
 * YAML with every syntax error located. Duplicate keys are errors (yaml's default), so a spec
 * cannot say two things at once; aliases are capped by yaml's `maxAliasCount` against expansion bombs.
 */
function decodeYaml(text: string): DecodeResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      ok: false,
      // Later syntax errors are mostly echoes of the first ones; a hostile text could yield thousands.
      problems: document.errors.slice(0, MAX_SYNTAX_PROBLEMS).map((error) => syntaxProblem('yaml', error.message, lineCounter.linePos(error.pos[0]))),
    };
  }
  try {
    return { ok: true, document: document.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    return { ok: false, problems: [syntaxProblem('yaml', (error as Error).message)] };
  }
}

/**
 * JSON.parse says where only in some messages ("… at position 28"). Without one we give no
 * location rather than guess one (a YAML parser's opinion of the same text can point elsewhere).
 */
function locateJsonError(text: string, message: string): { line: number; col: number } | undefined {
  const offset = /at position (\d+)/.exec(message);
  if (!offset) return undefined;
  const before = text.slice(0, Number(offset[1])).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

function decodeJson(text: string): DecodeResult {
  try {
    return { ok: true, document: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, problems: [syntaxProblem('json', message, locateJsonError(text, message))] };
  }
}

export function decodeSpecText(text: string, format: SpecFormat): DecodeResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_SPEC_TEXT_BYTES) {
    return { ok: false, problems: [{ path: '', code: 'spec_too_large', message: `a spec is at most ${MAX_SPEC_TEXT_BYTES} bytes` }] };
  }
  return format === 'json' ? decodeJson(text) : decodeYaml(text);
}

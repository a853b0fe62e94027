import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ContractFileNotFoundError, InvalidContractSourceError, InvalidOpenApiDocumentError } from '../errors';
import { isJsonObject, type JsonObject } from './json-node';

const FILE_PREFIX = 'file:';

export interface ContractSourceOptions {
  /** Directory `file:` paths and relative `$ref`s resolve against: the migration spec's directory. */
  baseDir: string;
  /** Who the document is in messages, e.g. "to (v2)". */
  label: string;
}

export interface ReadContractSource {
  document: JsonObject;
  /** The file relative `$ref`s resolve against; inline documents get a name inside `baseDir`. */
  location: string;
}

export async function readContractSource(source: unknown, { baseDir, label }: ContractSourceOptions): Promise<ReadContractSource> {
  if (isJsonObject(source)) {
    return { document: structuredClone(source), location: path.resolve(baseDir, 'inline-openapi.json') };
  }
  if (typeof source !== 'string' || !source.startsWith(FILE_PREFIX) || source.length === FILE_PREFIX.length) {
    throw new InvalidContractSourceError(label, source);
  }
  const location = path.resolve(baseDir, source.slice(FILE_PREFIX.length));
  let text: string;
  try {
    text = await readFile(location, 'utf8');
  } catch (error) {
    throw new ContractFileNotFoundError(label, location, { cause: error });
  }
  return { document: parseDocumentText(text, location, label), location };
}

// YAML 1.2 is a superset of JSON, so one parser reads both and reports line and column for either.
function parseDocumentText(text: string, location: string, label: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new InvalidOpenApiDocumentError(label, [`${location}: ${error instanceof Error ? error.message : String(error)}`], {
      cause: error,
    });
  }
  if (!isJsonObject(parsed)) {
    throw new InvalidOpenApiDocumentError(label, [`${location} does not hold an object at its top level`]);
  }
  return parsed;
}

import type { JsonObject } from './json-node';

/** The two OpenAPI families this library reads; they differ in schema dialect (3.0 `nullable` vs JSON Schema 2020-12). */
export type OpenApiVersion = '3.0' | '3.1';

/** A validated OpenAPI document, as the contract gate and the response validator read it. */
export interface OpenApiContract {
  /** Who this document is in messages, e.g. "to (v2)". */
  readonly label: string;
  readonly version: OpenApiVersion;
  /** A copy of the document as given or as read from the file, never the caller's object. */
  readonly document: JsonObject;
  /**
   * The same document with external `$ref`s pulled in and internal ones kept: what the diff and the
   * response validator read, so pointers in reports name the place a change was written.
   */
  readonly bundled: JsonObject;
  /** Every `$ref` replaced by its target; circular schemas stay circular objects. */
  readonly dereferenced: JsonObject;
}

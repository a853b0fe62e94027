/**
 * @bascule/api-contract — the contract gate of an `api` migration step.
 *
 * Design
 * - `loadOpenApiDocument` reads the running (`from`) and new (`to`) OpenAPI 3.0/3.1 documents,
 *   inline or `file:`, validates them with Swagger Parser and refuses Swagger 2.0.
 * - `diffContracts` reports every contract change under oasdiff's rule id and level:
 *   api-smart-diff finds the structural differences, `diff/contract-rules.ts` alone decides their
 *   level, and `summarizeContract` says whether any is breaking (error-level).
 * - `createResponseValidator` checks sampled responses of the new version against its document
 *   with Ajv (draft-07 with 3.0 `nullable` rewritten, or 2020-12 for 3.1), one compile per schema.
 * - Pure: documents in, reports out; no NestJS, no network (`$ref`s over http are refused).
 */
export * from './errors';
export type { JsonObject } from './document/json-node';
export type { OpenApiContract, OpenApiVersion } from './document/openapi-contract';
export type { ContractSourceOptions } from './document/read-contract-source';
export { loadOpenApiDocument } from './document/load-openapi-document';
export type { ContractChange } from './diff/contract-change';
export { CONTRACT_RULES, type ChangeLevel, type ContractRuleId } from './diff/contract-rules';
export { diffContracts, type DiffContractsOptions } from './diff/diff-contracts';
export { summarizeContract, type ContractSummary } from './diff/summarize-contract';
export {
  createResponseValidator,
  type ResponseValidator,
  type ResponseVerdict,
  type SampledResponse,
} from './validation/response-validator';

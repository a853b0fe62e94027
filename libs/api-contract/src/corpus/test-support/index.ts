import type { CorpusCase } from './corpus-case';
import { ENDPOINT_CASES } from './endpoint-cases';
import { PARAMETER_CASES } from './parameter-cases';
import { REQUEST_BODY_CASES } from './request-body-cases';
import { REQUEST_PROPERTY_CASES } from './request-property-cases';
import { RESPONSE_CASES } from './response-cases';
import { RESPONSE_PROPERTY_CASES } from './response-property-cases';
import { SECURITY_CASES } from './security-cases';

export { CORPUS_NOW, type CorpusCase, type MultiChangePair, type NegativeCase, type PositiveCase } from './corpus-case';
export { MULTI_CHANGE_PAIRS } from './multi-change-pairs';

/** Every labelled single-change case: for each rule of CONTRACT_RULES, positives and near-miss negatives. */
export const CORPUS: CorpusCase[] = [
  ...ENDPOINT_CASES,
  ...PARAMETER_CASES,
  ...REQUEST_BODY_CASES,
  ...REQUEST_PROPERTY_CASES,
  ...RESPONSE_CASES,
  ...RESPONSE_PROPERTY_CASES,
  ...SECURITY_CASES,
];

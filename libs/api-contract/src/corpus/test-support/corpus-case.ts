import type { JsonObject } from '../../document/json-node';
import type { ContractRuleId } from '../../diff/contract-rules';
import { shop } from './shop-document';

/** "Today" for every corpus diff, so `x-sunset` cases mean the same on any day they run. */
export const CORPUS_NOW = new Date('2026-03-01T12:00:00Z');

/** Where the change a positive case is about must be reported. */
export interface ExpectedChange {
  /** `METHOD /path/{template}`; absent for document-wide changes. */
  operation?: string;
  /** JSON pointer into `to`, or into `from` for what was removed. */
  path: string;
}

interface CaseBase {
  rule: ContractRuleId;
  description: string;
  from: JsonObject;
  to: JsonObject;
}

/** The diff of `from` → `to` must report `rule`, at its level in CONTRACT_RULES, at `expect`. */
export interface PositiveCase extends CaseBase {
  label: 'positive';
  expect: ExpectedChange;
}

/**
 * A near miss: the diff of `from` → `to` must not report `rule`. `expect.reported` is every rule
 * id the near miss does report instead (often the neighbouring rule), so it cannot pass by
 * accident of the change going unnoticed.
 */
export interface NegativeCase extends CaseBase {
  label: 'negative';
  expect?: { reported: ContractRuleId[] };
}

export type CorpusCase = PositiveCase | NegativeCase;

/** A realistic v1 → v2 with several changes at once: the exact set of rule ids it reports. */
export interface MultiChangePair {
  description: string;
  from: JsonObject;
  to: JsonObject;
  expect: { rules: ContractRuleId[]; breaking: boolean };
}

/** The documents of a case; `from` is the plain shop unless the case starts elsewhere. */
interface Pair {
  from?: JsonObject;
  to: JsonObject;
}

export function positive(rule: ContractRuleId, description: string, { from = shop(), to }: Pair, expect: ExpectedChange): PositiveCase {
  return { rule, label: 'positive', description, from, to, expect };
}

export function negative(rule: ContractRuleId, description: string, { from = shop(), to }: Pair, reported: ContractRuleId[]): NegativeCase {
  return { rule, label: 'negative', description, from, to, expect: { reported } };
}

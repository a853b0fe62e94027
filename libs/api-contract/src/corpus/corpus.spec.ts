import { canonicalJson, type JsonObject } from '../document/json-node';
import type { OpenApiContract } from '../document/openapi-contract';
import { CONTRACT_RULES, type ContractRuleId } from '../diff/contract-rules';
import { diffContracts } from '../diff/diff-contracts';
import { summarizeContract } from '../diff/summarize-contract';
import { brief, loadInline } from '../test-support/openapi-documents';
import { CORPUS, CORPUS_NOW, MULTI_CHANGE_PAIRS, type NegativeCase, type PositiveCase } from './test-support';

// Many cases share a document (the plain shop most of all): load each distinct one once.
const loaded = new Map<string, Promise<OpenApiContract>>();

function load(document: JsonObject): Promise<OpenApiContract> {
  const key = canonicalJson(document);
  let contract = loaded.get(key);
  if (!contract) {
    contract = loadInline(document, `corpus document ${loaded.size + 1}`);
    loaded.set(key, contract);
  }
  return contract;
}

async function diff(from: JsonObject, to: JsonObject) {
  const [running, next] = await Promise.all([load(from), load(to)]);
  return diffContracts(running, next, { now: CORPUS_NOW });
}

const distinctIds = (ids: readonly ContractRuleId[]): ContractRuleId[] => [...new Set(ids)].sort();

const positives = CORPUS.filter((corpusCase): corpusCase is PositiveCase => corpusCase.label === 'positive');
const negatives = CORPUS.filter((corpusCase): corpusCase is NegativeCase => corpusCase.label === 'negative');

describe('labelled contract corpus', () => {
  describe('coverage', () => {
    it('has a positive and a negative case for every rule in CONTRACT_RULES', () => {
      const missing = Object.keys(CONTRACT_RULES).flatMap((rule) =>
        (['positive', 'negative'] as const).filter((label) => !CORPUS.some((corpusCase) => corpusCase.rule === rule && corpusCase.label === label)).map((label) => `${rule} (${label})`),
      );
      expect(missing).toEqual([]);
    });

    it('names only rules in CONTRACT_RULES and describes each case once', () => {
      expect(CORPUS.map((corpusCase) => corpusCase.rule).filter((rule) => !(rule in CONTRACT_RULES))).toEqual([]);
      const titles = CORPUS.map((corpusCase) => `${corpusCase.rule} ${corpusCase.label}: ${corpusCase.description}`);
      expect(titles.filter((title, index) => titles.indexOf(title) !== index)).toEqual([]);
    });

    it('holds at least 25 document pairs, each a real change', () => {
      expect(CORPUS.length + MULTI_CHANGE_PAIRS.length).toBeGreaterThanOrEqual(25);
      const unchanged = [...CORPUS, ...MULTI_CHANGE_PAIRS].filter(({ from, to }) => canonicalJson(from) === canonicalJson(to)).map(({ description }) => description);
      expect(unchanged).toEqual([]);
    });
  });

  describe('positive: the diff reports the rule at its CONTRACT_RULES level, operation and path', () => {
    it.each(positives)('$rule: $description', async ({ rule, from, to, expect: expected }) => {
      const reported = brief(await diff(from, to));
      expect(reported).toContainEqual({
        id: rule,
        level: CONTRACT_RULES[rule].level,
        ...(expected.operation === undefined ? {} : { operation: expected.operation }),
        path: expected.path,
      });
    });
  });

  describe('negative: a near miss does not report the rule', () => {
    it.each(negatives)('$rule: $description', async ({ rule, from, to, expect: expected }) => {
      const ids = (await diff(from, to)).map((change) => change.id);
      expect(ids).not.toContain(rule);
      if (expected) expect(distinctIds(ids)).toEqual(distinctIds(expected.reported));
    });
  });

  describe('multi-change pairs: the exact set of rule ids, and whether the release is breaking', () => {
    it.each(MULTI_CHANGE_PAIRS)('$description', async ({ from, to, expect: expected }) => {
      const changes = await diff(from, to);
      expect(distinctIds(changes.map((change) => change.id))).toEqual(distinctIds(expected.rules));
      expect(summarizeContract(changes).breaking).toBe(expected.breaking);
    });
  });
});

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTRACT_RULES } from './contract-rules';

const RULES_DOC = path.resolve(__dirname, '../../../../docs/api-contract-rules.md');

describe('CONTRACT_RULES', () => {
  it('keeps docs/api-contract-rules.md listing every rule with its level', () => {
    const rows = new Map(
      [...readFileSync(RULES_DOC, 'utf8').matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)].map(([, id, level]) => [id, level]),
    );
    const expected = new Map(Object.entries(CONTRACT_RULES).map(([id, rule]) => [id, rule.level]));
    expect(rows).toEqual(expected);
  });
});

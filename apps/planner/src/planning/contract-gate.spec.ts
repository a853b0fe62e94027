import type { MigrationSpec } from '@bascule/contracts';
import { parseMigrationSpec } from '@bascule/migration-spec';
import { apiSpec, shopV1, shopV2Breaking } from '../testing/api-step-spec';
import { apiContractFindings } from './api-contract-risks';
import { buildPlan } from './build-plan';
import { blockedContractChanges } from './contract-gate';

async function parsed(spec: unknown): Promise<MigrationSpec> {
  const result = await parseMigrationSpec(spec);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.spec;
}

const STEP = 'phases[0].steps[0]';

describe('the api steps\' contract gate', () => {
  it('reports every change with its rule id, level, operation and JSON pointer', async () => {
    const findings = await apiContractFindings(await parsed(apiSpec('m', shopV2Breaking())));
    expect(findings.get(STEP)).toEqual([
      {
        rule: 'api-path-removed-without-deprecation',
        severity: 'error',
        message: 'GET /carts: api path removed without deprecation',
        path: `${STEP}.api`,
        operation: 'GET /carts',
        pointer: '/paths/~1carts/get',
      },
      {
        rule: 'response-property-type-changed',
        severity: 'error',
        message: expect.stringContaining('GET /orders/{id}: the type/format of the response property "total"'),
        path: `${STEP}.api`,
        operation: 'GET /orders/{id}',
        pointer: '/components/schemas/Order/properties/total/type',
      },
      { rule: 'endpoint-added', severity: 'info', message: 'GET /tags: endpoint added', path: `${STEP}.api`, operation: 'GET /tags', pointer: '/paths/~1tags/get' },
    ]);
  });

  it('finds nothing between identical documents (a framework upgrade)', async () => {
    const spec = await parsed(apiSpec('m', shopV1()));
    const findings = await apiContractFindings(spec);
    expect(findings.get(STEP)).toEqual([]);
    expect(blockedContractChanges(spec, findings)).toEqual([]);
    expect(buildPlan(spec, [], new Map(), findings).phases[0]?.steps[0]?.summary).toContain('contract unchanged');
  });

  it('blocks on error-level changes by default, and only then', async () => {
    const block = await parsed(apiSpec('m', shopV2Breaking()));
    expect(block.phases[0]?.steps[0]?.api?.breaking).toBe('block');
    expect(blockedContractChanges(block, await apiContractFindings(block)).map((risk) => risk.rule)).toEqual(['api-path-removed-without-deprecation', 'response-property-type-changed']);
    for (const policy of ['approve', 'allow'] as const) {
      const spec = await parsed(apiSpec('m', shopV2Breaking(), policy));
      expect(blockedContractChanges(spec, await apiContractFindings(spec))).toEqual([]);
    }
  });

  it('plans breaking: approve with an approval before the step runs, and allow with risks only', async () => {
    const approve = await parsed(apiSpec('m', shopV2Breaking(), 'approve'));
    const held = buildPlan(approve, [], new Map(), await apiContractFindings(approve)).phases[0]?.steps[0];
    expect(held?.requiresApproval).toEqual({ reason: 'breaking_contract', message: expect.stringContaining('v2 of shop breaks clients of v1 (2 error-level changes: api-path-removed-without-deprecation, response-property-type-changed)') });
    expect(held?.summary).toBe('api shop: v1 → v2 (embedded router), canary 5/25/50/100 % every 30s; contract: 2 error, 0 warning, 1 info (breaking: approve)');
    expect(held?.compensation.action).toBe('api.rollback');

    const allow = await parsed(apiSpec('m', shopV2Breaking(), 'allow'));
    const plan = buildPlan(allow, [], new Map(), await apiContractFindings(allow));
    expect(plan.phases[0]?.steps[0]?.requiresApproval).toBeUndefined();
    expect(plan.risks.map((risk) => `${risk.severity} ${risk.rule}`)).toEqual(['error api-path-removed-without-deprecation', 'error response-property-type-changed', 'info endpoint-added']);

    const nothingBreaks = await parsed(apiSpec('m', shopV1(), 'approve'));
    expect(buildPlan(nothingBreaks, [], new Map(), await apiContractFindings(nothingBreaks)).phases[0]?.steps[0]?.requiresApproval).toBeUndefined();
  });
});

import { listStreams } from '@bascule/event-store';
import { apiSpec, shopV1, shopV2Breaking } from '../testing/api-step-spec';
import type { PlannerTestApp } from '../testing/planner-test-app';
import { PlannerWorld } from '../testing/planner-world';

jest.setTimeout(120_000);

const STEP = 'phases[0].steps[0]';
interface RiskBody {
  rule: string;
  severity: string;
  pointer?: string;
}
/** The plan's risks that came from the contract gate (they carry a JSON pointer). */
const contractRisks = (plan: { risks: RiskBody[] }) => plan.risks.filter((risk) => risk.pointer !== undefined);

describe('planner: the api steps\' contract gate at POST /migrations (real Postgres + NATS)', () => {
  let world: PlannerWorld;
  let planner: PlannerTestApp;

  const storedStreams = async () => (await listStreams(planner.pool, { prefix: 'migration-' })).length;

  beforeAll(async () => {
    world = await PlannerWorld.start('gate');
    planner = world.planner;
  });

  afterAll(async () => {
    await world?.close();
  });

  it('breaking: block (the default) refuses a breaking contract with 400, every error-level change with its rule id and path, recording nothing', async () => {
    const before = await storedStreams();
    const response = await planner.request('POST', '/migrations', apiSpec('shop-blocked', shopV2Breaking()));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('BREAKING_CONTRACT_CHANGES');
    expect(response.body.details).toEqual([
      expect.objectContaining({ rule: 'api-path-removed-without-deprecation', severity: 'error', path: `${STEP}.api`, operation: 'GET /carts', pointer: '/paths/~1carts/get' }),
      expect.objectContaining({ rule: 'response-property-type-changed', severity: 'error', path: `${STEP}.api`, operation: 'GET /orders/{id}', pointer: '/components/schemas/Order/properties/total/type' }),
    ]);
    expect(response.body.message).toContain(`${STEP}.api: api-path-removed-without-deprecation at GET /carts (/paths/~1carts/get)`);
    const dryRun = await planner.request('POST', '/migrations?dryRun=true', apiSpec('shop-blocked', shopV2Breaking()));
    expect(dryRun.status).toBe(400);
    expect(await storedStreams()).toBe(before);
  });

  it('breaking: allow plans with every change in the risks, and stores both documents inline in MigrationPlanned', async () => {
    const response = await planner.request('POST', '/migrations', apiSpec('shop-allowed', shopV2Breaking(), 'allow'));
    expect(response.status).toBe(201);
    const plan = response.body.plan;
    expect(contractRisks(plan).map((risk) => [risk.severity, risk.rule, risk.pointer])).toEqual([
      ['error', 'api-path-removed-without-deprecation', '/paths/~1carts/get'],
      ['error', 'response-property-type-changed', '/components/schemas/Order/properties/total/type'],
      ['info', 'endpoint-added', '/paths/~1tags/get'],
    ]);
    expect(plan.phases[0].steps[0]).toMatchObject({ kind: 'api', compensation: { action: 'api.rollback' } });
    expect(plan.phases[0].steps[0].requiresApproval).toBeUndefined();
    const [planned] = await planner.events(response.body.id);
    expect(planned?.data).toMatchObject({ spec: { phases: [{ steps: [{ api: { from: { openapi: shopV1() }, to: { openapi: shopV2Breaking() } } }] }] } });
    const status = await planner.request('GET', `/migrations/${response.body.id}`);
    expect(status.body.phases[0].steps[0].api).toMatchObject({ service: 'shop', breaking: 'allow', contract: { counts: { error: 2, warning: 0, info: 1 } }, canary: { shares: null, judged: [] } });
  });

  it('identical documents (a framework upgrade) plan with no risk from the gate, even under block', async () => {
    const response = await planner.request('POST', '/migrations', apiSpec('shop-upgrade', shopV1()));
    expect(response.status).toBe(201);
    expect(contractRisks(response.body.plan)).toEqual([]);
    expect(response.body.plan.phases[0].steps[0].summary).toContain('contract unchanged (breaking: block)');
  });

  it('breaking: approve plans the step as waiting for an approval', async () => {
    const response = await planner.request('POST', '/migrations', apiSpec('shop-approve', shopV2Breaking(), 'approve'));
    expect(response.status).toBe(201);
    expect(response.body.plan.phases[0].steps[0].requiresApproval).toEqual({ reason: 'breaking_contract', message: expect.stringContaining('v2 of shop breaks clients of v1') });
  });

  it('refuses file references in a REST body and an invalid document, at their paths', async () => {
    const before = await storedStreams();
    const refused = await planner.request('POST', '/migrations', apiSpec('shop-file', 'file:shop-v2.yaml'));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: `${STEP}.api.to.openapi`, code: 'file_refs_unavailable' })]);
    const { info: _info, ...noInfo } = shopV2Breaking();
    const invalid = await planner.request('POST', '/migrations', apiSpec('shop-invalid', noInfo));
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual([expect.objectContaining({ path: `${STEP}.api.to.openapi`, code: 'invalid_openapi', message: expect.stringContaining('to (v2) is not a valid OpenAPI document') })]);
    expect(await storedStreams()).toBe(before);
  });
});

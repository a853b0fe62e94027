import { createResponseValidator, loadOpenApiDocument } from '@bascule/api-contract';
import type { ResponseSample } from '@bascule/api-router';
import { shopDocument } from '../testing/shop-documents';
import { ContractSampler } from './contract-sampler';

const sample = (overrides: Partial<ResponseSample>): ResponseSample => ({ version: 'v2', method: 'GET', path: '/load', status: 200, contentType: 'application/json', body: { version: 'v2' }, ...overrides });

describe('ContractSampler', () => {
  it("checks the new version's responses against its document while armed, and counts them per window", async () => {
    let counted = 0;
    const sampler = new ContractSampler('v2', () => counted++);
    sampler.arm(createResponseValidator(await loadOpenApiDocument(shopDocument('2'), { baseDir: __dirname, label: 'to (v2)' })));
    sampler.onSample(sample({}));
    sampler.onSample(sample({ body: { version: 'v2', total: 'twelve' } }));
    sampler.onSample(sample({ body: { version: 'v2', total: 'thirteen' } }));
    sampler.onSample(sample({ path: '/orders' }));
    sampler.onSample(sample({ body: undefined, problem: 'invalid-json' }));
    expect(sampler.drain()).toEqual({
      checked: 5,
      violations: 4,
      examples: ['GET /load (200): body/total must be number', expect.stringMatching(/^GET \/orders \(200\): /), 'GET /load (200): the body is not valid JSON'],
    });
    expect(counted).toBe(4);
    expect(sampler.drain()).toEqual({ checked: 0, violations: 0, examples: [] });
  });

  it("leaves alone the old version's responses, 5xx answers, bodies too large to read, and everything once disarmed", async () => {
    const sampler = new ContractSampler('v2');
    sampler.onSample(sample({ body: 42 }));
    sampler.arm(createResponseValidator(await loadOpenApiDocument(shopDocument('2'), { baseDir: __dirname, label: 'to (v2)' })));
    sampler.onSample(sample({ version: 'v1', body: 42 }));
    sampler.onSample(sample({ status: 503, body: { code: 'UPSTREAM_UNAVAILABLE' } }));
    sampler.onSample(sample({ body: undefined, problem: 'too-large' }));
    sampler.disarm();
    sampler.onSample(sample({ body: 42 }));
    expect(sampler.drain()).toEqual({ checked: 0, violations: 0, examples: [] });
  });
});

import { joinPath, specPath } from './spec-path';
import { inDocumentOrder } from './document-order';

describe('spec paths', () => {
  it('writes indexes in brackets and keys with dots', () => {
    expect(specPath(['phases', 1, 'steps', 0, 'sql', 'up'])).toBe('phases[1].steps[0].sql.up');
    expect(specPath([])).toBe('');
    expect(specPath([2, 'alter_column'], 'operations')).toBe('operations[2].alter_column');
  });

  it('joins an engine path under a step', () => {
    expect(joinPath('phases[1].steps[0].schema', 'operations[2].alter_column.up')).toBe('phases[1].steps[0].schema.operations[2].alter_column.up');
    expect(joinPath('phases[1].steps[0].schema', '')).toBe('phases[1].steps[0].schema');
    expect(joinPath('list', '[3]')).toBe('list[3]');
  });

  it('orders problems as their places appear in the document, absent fields last', () => {
    const document = { target: 'x', name: 'y', phases: [{ steps: [{}, {}] }] };
    const problem = (path: string) => ({ path, code: 'c', message: 'm' });
    const ordered = inDocumentOrder([problem('rollback'), problem('phases[0].steps[1].id'), problem('name'), problem('phases[0].steps[0]'), problem('target'), problem('')], document);
    expect(ordered.map((p) => p.path)).toEqual(['', 'target', 'name', 'phases[0].steps[0]', 'phases[0].steps[1].id', 'rollback']);
  });
});

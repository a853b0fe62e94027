import { executionOrder } from './execution-order';
import { StepOrderError } from './step-order.error';

const step = (id: string, ...dependsOn: string[]) => (dependsOn.length ? { id, dependsOn } : { id });

describe('executionOrder', () => {
  it('runs the steps of a phase without dependencies together, in spec order', () => {
    expect(executionOrder({ phases: [{ name: 'expand', steps: [step('a'), step('b'), step('c')] }] })).toEqual([{ phase: 'expand', waves: [['a', 'b', 'c']] }]);
  });

  it('puts a step one wave after the latest same-phase step it depends on', () => {
    const phases = [
      { name: 'one', steps: [step('d', 'b', 'c'), step('a'), step('b', 'a'), step('c', 'a'), step('e')] },
      { name: 'two', steps: [step('f', 'd'), step('g', 'f', 'a'), step('h')] },
    ];
    expect(executionOrder({ phases })).toEqual([
      { phase: 'one', waves: [['a', 'e'], ['b', 'c'], ['d']] },
      // `d` and `a` finished in phase one, so only `f` orders phase two.
      { phase: 'two', waves: [['f', 'h'], ['g']] },
    ]);
  });

  it('keeps a long chain in as many waves as links (without recursion)', () => {
    const steps = Array.from({ length: 20000 }, (_, index) => (index === 0 ? step('s0') : step(`s${index}`, `s${index - 1}`)));
    const [{ waves }] = executionOrder({ phases: [{ name: 'p', steps }] });
    expect(waves).toHaveLength(20000);
    expect(waves[19999]).toEqual(['s19999']);
  });

  it('refuses a cycle, naming it', () => {
    const run = () => executionOrder({ phases: [{ name: 'p', steps: [step('a', 'b'), step('b', 'a')] }] });
    expect(run).toThrow(StepOrderError);
    expect(run).toThrow('dependency cycle a → b → a');
  });

  it('refuses a dependency on a later phase or an unknown step', () => {
    expect(() => executionOrder({ phases: [{ name: 'p', steps: [step('a', 'b')] }, { name: 'q', steps: [step('b')] }] })).toThrow(/dependency in later phase "b"/);
    expect(() => executionOrder({ phases: [{ name: 'p', steps: [step('a', 'zz')] }] })).toThrow(/unknown dependency "zz"/);
  });

  it('detects a cycle through a very long chain without overflowing the stack', () => {
    const steps = Array.from({ length: 20000 }, (_, index) => step(`s${index}`, `s${(index + 1) % 20000}`));
    expect(() => executionOrder({ phases: [{ name: 'p', steps }] })).toThrow(StepOrderError);
  });
});

import { InFlightStarts } from './in-flight-starts';

const step = (migrationId: string, stepId: string, target = 'app') => ({ migrationId, stepId, target, schema: 'public' });

describe('InFlightStarts', () => {
  it('aborts a running start of the same step and resolves only once it settled', async () => {
    const starts = new InFlightStarts();
    const order: string[] = [];
    const running = starts.track(step('m1', 's1'), async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 20)));
      order.push('start settled');
      throw new Error('interrupted');
    });
    running.catch(() => undefined);
    expect(await starts.abort(step('m1', 'other'))).toBe(false);
    expect(await starts.abort(step('m1', 's1'))).toBe(true);
    order.push('rollback may run');
    expect(order).toEqual(['start settled', 'rollback may run']);
    await expect(running).rejects.toThrow('interrupted');
    expect(await starts.abort(step('m1', 's1'))).toBe(false);
  });
});

describe('InFlightStarts with a start delivered twice', () => {
  it('lets the second delivery wait for the running start instead of starting it again', async () => {
    const starts = new InFlightStarts();
    let runs = 0;
    let finish: () => void = () => undefined;
    const first = starts.track(step('m3', 's1'), async () => {
      runs++;
      await new Promise<void>((resolve) => (finish = resolve));
    });
    let secondDone = false;
    const second = starts.track(step('m3', 's1'), async () => {
      runs++;
    }).then(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect({ runs, secondDone }).toEqual({ runs: 1, secondDone: false });
    finish();
    await Promise.all([first, second]);
    expect({ runs, secondDone }).toEqual({ runs: 1, secondDone: true });
  });
});

describe('InFlightStarts after a rollback that found nothing running', () => {
  it('skips a start of that step still queued behind the rollback', async () => {
    const starts = new InFlightStarts();
    expect(await starts.abort(step('m2', 's1'))).toBe(false);
    let ran = false;
    await starts.track(step('m2', 's1'), async () => {
      ran = true;
    });
    expect(ran).toBe(false);
    await starts.track(step('m2', 's2'), async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    ran = false;
    await starts.track(step('m2', 's1', 'scratch'), async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});

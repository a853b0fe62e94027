import type { ResponseSample } from '@bascule/api-router';
import type { ResponseValidator } from '@bascule/api-contract';
import type { ContractWindow } from '../canary/canary-window';

/** Violations kept word for word per window: enough to say what broke, bounded whatever the traffic. */
const MAX_EXAMPLES = 3;

/**
 * The embedded router's sampling hook: checks the new version's JSON responses against its OpenAPI
 * document while a canary runs (`arm`), and counts them per window (`drain`). Unarmed (after the
 * canary, or a router given back after a restart) it ignores every sample, so a promoted router
 * spends nothing on validation. 5xx answers are not checked: the errors rule counts them already,
 * and an undocumented 500 would count twice.
 */
export class ContractSampler {
  private validator: ResponseValidator | null = null;
  private window: ContractWindow = emptyWindow();

  constructor(
    private readonly version: string,
    private readonly onViolation: () => void = () => undefined,
  ) {}

  arm(validator: ResponseValidator): void {
    this.validator = validator;
    this.window = emptyWindow();
  }

  disarm(): void {
    this.validator = null;
  }

  /** Runs after the response went to the client (the router's contract), never in its way. */
  readonly onSample = (sample: ResponseSample): void => {
    if (!this.validator || sample.version !== this.version || sample.status >= 500 || sample.problem === 'too-large') return;
    const window = this.window;
    window.checked++;
    const problems = sample.problem === 'invalid-json' ? { operation: undefined, errors: ['the body is not valid JSON'] } : this.validator.validate(sample);
    if (problems.errors.length === 0) return;
    window.violations++;
    this.onViolation();
    const example = `${problems.operation ?? `${sample.method} ${sample.path}`} (${sample.status}): ${problems.errors.join(', ')}`;
    if (window.examples.length < MAX_EXAMPLES && !window.examples.includes(example)) window.examples.push(example);
  };

  /** The window since the previous drain. */
  drain(): ContractWindow {
    const window = this.window;
    this.window = emptyWindow();
    return window;
  }
}

function emptyWindow(): ContractWindow {
  return { checked: 0, violations: 0, examples: [] };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The demo's migration specs are YAML files in the source tree, read at run time from the
 * checkout (tsc does not copy them to dist/): users open the same files the demo posts.
 */
export const DEMO_SPECS_DIR = join('apps', 'cli', 'src', 'commands', 'demo', 'specs');
export const FORWARD_SPEC = '01-orders-multi-currency.yaml';
export const ROLLBACK_SPEC = '02-order-items-bigint-quantity.yaml';
export const MONITORED_SPEC = '03-orders-drop-customer-index.yaml';
export const API_SPEC = '04-shop-api-v2.yaml';

export interface DemoSpec {
  file: string;
  /** Path relative to the checkout, as the demo prints it. */
  relativePath: string;
  text: string;
}

export function readDemoSpec(root: string, file: string): DemoSpec {
  const relativePath = join(DEMO_SPECS_DIR, file);
  return { file, relativePath, text: readFileSync(join(root, relativePath), 'utf8') };
}

import type { JsonObject } from '../document/json-node';
import type { OpenApiVersion } from '../document/openapi-contract';

export interface ContractSide {
  document: JsonObject;
  version: OpenApiVersion;
}

export interface DiffContext {
  from: ContractSide;
  to: ContractSide;
  /** Today, for `x-sunset` dates. */
  now: Date;
  /**
   * True the first time `group` is asked for. api-smart-diff reports a list keyword (`required`,
   * `enum`, `security`) item by item; the rules compare the whole list once.
   */
  firstTime(group: string): boolean;
}

/** One structural difference as api-smart-diff reports it, in the shape the rules read. */
export interface StructuralDiff {
  action: 'add' | 'remove' | 'replace' | 'rename';
  /** Keys of `from` (api-smart-diff maps `to` onto them); array indexes count merged items. */
  path: (string | number)[];
  before?: unknown;
  after?: unknown;
}

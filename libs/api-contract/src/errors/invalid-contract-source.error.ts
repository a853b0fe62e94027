import { ApiContractError } from './api-contract.error';

/** Raised when a contract source is neither an inline document nor a `file:<path>` string. */
export class InvalidContractSourceError extends ApiContractError {
  readonly code = 'INVALID_CONTRACT_SOURCE';

  constructor(
    readonly label: string,
    readonly source: unknown,
  ) {
    super(
      `${label}: ${JSON.stringify(source)} is not a contract source; give the document inline or as "file:<path>"`,
    );
  }
}

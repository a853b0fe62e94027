export * from './api-contract.error';
export * from './contract-file-not-found.error';
export * from './invalid-contract-source.error';
export * from './invalid-openapi-document.error';
export * from './unsupported-openapi-version.error';

export * from './analysis.error';
export * from './invalid-analysis-input.error';

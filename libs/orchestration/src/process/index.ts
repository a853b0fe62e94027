export * from './process-decision';
export * from './decide-next';
export * from './step-commands';
export * from './phase-gate';
export * from './monitor-baseline';
export * from './approval-gate';

const base = require('./jest.config');

/**
 * `npm run test:faults`: the fault matrix (test/faults), long and disruptive to its own servers, so
 * kept out of `npm test`. One run at a time.
 */
module.exports = { ...base, roots: ['<rootDir>/test/faults'], testMatch: ['**/*.fault-spec.ts'], maxWorkers: 1 };

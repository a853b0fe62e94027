// Resolves the workspace's `@bascule/*` path aliases to the compiled output in dist/, so the
// services and the CLI run as plain Node processes (no TypeScript at run time).
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.base.json');

tsconfigPaths.register({
  baseUrl: path.join(__dirname, '..', 'dist'),
  paths: compilerOptions.paths,
});

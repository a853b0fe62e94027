import { join } from 'node:path';

/** The workspace root, from libs/testing/src. */
const ROOT = join(__dirname, '..', '..', '..');

/**
 * JavaScript that makes a plain Node process (`node -e`) load the workspace's TypeScript: the
 * `@bascule/*` path aliases registered, every `.ts` file transpiled on require (decorators and their
 * metadata included). A test can then run a real engine or service in a child process, and kill
 * it, without building dist/ first. `root` holds the workspace's path for the code that follows.
 */
export const TYPESCRIPT_CHILD_PRELUDE = `
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const root = ${JSON.stringify(ROOT)};
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
require.extensions['.ts'] = (module, filename) => {
  const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  }).outputText;
  module._compile(output, filename);
};
`;

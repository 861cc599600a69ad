// Shared Jest settings for every package: TypeScript through @swc/jest (no type-checking here:
// `npm run typecheck` does that), @ipc/* workspace imports resolved to their sources.
const path = require('node:path');

const packagesDir = path.join(__dirname, 'packages');

/** @param {string} rootDir the package folder */
module.exports = function preset(rootDir) {
  return {
    rootDir,
    displayName: path.basename(rootDir),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript' },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      '^@ipc/([a-z]+)$': `${packagesDir}/$1/src/index.ts`,
      '^@ipc/([a-z]+)/(testing|internal|zmq|amqp)$': `${packagesDir}/$1/src/$2/index.ts`,
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
  };
};

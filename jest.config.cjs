// One Jest run over every package, so that `npm test` ends with one set of totals.
// testTimeout is a global option: project configs cannot set it.
module.exports = {
  projects: [
    '<rootDir>/packages/*/jest.config.cjs',
    '<rootDir>/tools/*/jest.config.cjs',
    '<rootDir>/examples/*/jest.config.cjs',
  ],
  testTimeout: 60_000,
};

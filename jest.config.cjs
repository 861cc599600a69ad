// One Jest run over every package, so that `npm test` ends with one set of totals.
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs', '<rootDir>/tools/*/jest.config.cjs'],
};

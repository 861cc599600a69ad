module.exports = {
  ...require('../../jest.preset.cjs')(__dirname),
  // leftovers() judges the temporaries of the processes each test file started (see the file).
  setupFiles: ['<rootDir>/test/child-pids.cjs'],
};

// Jest setup file (runs before each test file): records the pid of every child process the test file
// starts (`spawn`, `fork`, `execFile`, `exec` of `node:child_process`), so that `leftovers()` judges the
// temporaries of the dead processes this file started, not those of processes that other test files,
// running at the same time, killed and have not reclaimed yet. Node's module is shared by the test
// files of a worker: it is wrapped once, and each test file starts a new record.
const childProcess = require('node:child_process');

const KEY = Symbol.for('@ipc/shm test: child pids');
if (childProcess[KEY] === undefined) {
  const record = { pids: new Set() };
  for (const name of ['spawn', 'fork', 'execFile', 'exec']) {
    const original = childProcess[name];
    childProcess[name] = function recorded(...args) {
      const child = original.apply(this, args);
      if (child.pid !== undefined) record.pids.add(child.pid);
      return child;
    };
  }
  childProcess[KEY] = record;
}
childProcess[KEY].pids = new Set();

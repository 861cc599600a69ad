// Jest setup file (runs before each test file of this package): records the pid of every child
// process the test file starts with `spawn` of `node:child_process` (which the tests, their helpers
// and @ipc/core's echo peers use), so that `leftovers()` judges the temporaries of the dead processes
// this file started, not those of processes that other test files, running at the same time, killed
// and have not reclaimed yet.
//
// Node's module object is shared by every test file a Jest worker runs, this package's or not: it is
// wrapped once per worker, by a function that passes everything through unchanged (same `this`,
// arguments and result) and only notes the pid; each test file of this package starts a new record.
const childProcess = require('node:child_process');

const KEY = Symbol.for('@ipc/shm test: child pids');
if (childProcess[KEY] === undefined) {
  const record = { pids: new Set() };
  const original = childProcess.spawn;
  childProcess.spawn = function spawn(...args) {
    const child = original.apply(this, args);
    if (child.pid !== undefined) record.pids.add(child.pid);
    return child;
  };
  childProcess[KEY] = record;
}
childProcess[KEY].pids = new Set();

#!/usr/bin/env node
// Builds or installs the @ipc/shm native addon (shm_open, mmap, futex): install | build | prebuild, see
// @ipc/kit/scripts/native-addon.cjs. Required on Linux: a failed build fails the install.
'use strict';
require('@ipc/kit/scripts/native-addon.cjs').run({
  root: require('node:path').join(__dirname, '..'),
  pkg: '@ipc/shm',
  name: 'ipc_shm',
  offLinux: 'the package throws ERR_UNSUPPORTED there',
});

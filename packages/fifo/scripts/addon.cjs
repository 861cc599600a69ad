#!/usr/bin/env node
// Builds or installs the @ipc/fifo native addon (fcntl F_SETPIPE_SZ): install | build | prebuild, see
// @ipc/kit/scripts/native-addon.cjs. Optional: without it, FIFOs keep the kernel's 64 KiB buffer.
'use strict';
require('@ipc/kit/scripts/native-addon.cjs').run({
  root: require('node:path').join(__dirname, '..'),
  pkg: '@ipc/fifo',
  name: 'ipc_fifo',
  offLinux: "FIFOs keep the kernel's default buffer there",
  withoutIt: "everything works, with the kernel's default 64 KiB FIFO buffer (slower bulk transfers).",
});

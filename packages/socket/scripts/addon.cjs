#!/usr/bin/env node
// Builds or installs the @ipc/socket native addon (getsockopt SO_PEERCRED): install | build | prebuild,
// see @ipc/kit/scripts/native-addon.cjs. Optional: without it, peer credentials are ERR_UNSUPPORTED.
'use strict';
require('@ipc/kit/scripts/native-addon.cjs').run({
  root: require('node:path').join(__dirname, '..'),
  pkg: '@ipc/socket',
  name: 'ipc_socket',
  offLinux: 'connection.peer is ERR_UNSUPPORTED there',
  withoutIt: 'everything works except connection.peer and allowUids (ERR_UNSUPPORTED).',
});

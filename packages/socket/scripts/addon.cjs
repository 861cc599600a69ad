#!/usr/bin/env node
// Builds or installs the @ipc/socket native addon (getsockopt SO_PEERCRED). Used by npm scripts,
// never imported.
//   node scripts/addon.cjs install    npm's install step: keep a prebuilt binary for this platform when
//                                     it loads, otherwise compile with node-gyp. Never fails the
//                                     install: the addon is optional (without it, peer credentials are
//                                     ERR_UNSUPPORTED and everything else works); elsewhere than Linux,
//                                     do nothing.
//   node scripts/addon.cjs build      compile with node-gyp (after editing native/); fails on error.
//   node scripts/addon.cjs prebuild   compile, then copy the binary to prebuilds/<platform>-<arch>/
//                                     (shipped in the npm package: installs without a compiler).
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const target = `${process.platform}-${process.arch}`;
const prebuilt = join(root, 'prebuilds', target, 'ipc_socket.napi.node');
const built = join(root, 'build', 'Release', 'ipc_socket.node');

function loads(file) {
  try {
    require(file);
    return true;
  } catch {
    return false;
  }
}

/** Runs node-gyp rebuild; returns its exit status. */
function compile() {
  // npm points npm_config_node_gyp at its bundled node-gyp; `node-gyp` is on PATH in npm scripts too.
  const gyp = process.env.npm_config_node_gyp;
  const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

const mode = process.argv[2];
if (mode === 'install') {
  if (process.platform !== 'linux') {
    console.log(
      `@ipc/socket: no peer-credentials addon for ${target} (connection.peer is ERR_UNSUPPORTED there)`,
    );
  } else if (!(existsSync(prebuilt) && loads(prebuilt))) {
    const status = compile();
    if (status !== 0 || !loads(built)) {
      console.warn(
        `@ipc/socket: could not build the peer-credentials addon (node-gyp exit ${status}); ` +
          'everything works except connection.peer and allowUids (ERR_UNSUPPORTED). ' +
          'Install a C compiler and run `npm rebuild @ipc/socket` to get them.',
      );
    }
  }
} else if (mode === 'build') {
  const status = compile();
  if (status !== 0) process.exit(status);
} else if (mode === 'prebuild') {
  const status = compile();
  if (status !== 0) process.exit(status);
  mkdirSync(join(root, 'prebuilds', target), { recursive: true });
  copyFileSync(built, prebuilt);
  console.log(`@ipc/socket: ${prebuilt}`);
} else {
  console.error('usage: node scripts/addon.cjs install|build|prebuild');
  process.exit(2);
}

#!/usr/bin/env node
// Builds or installs the @ipc/shm native addon. Used by npm scripts, never imported.
//   node scripts/addon.cjs install    npm's install step: keep a prebuilt binary for this platform when
//                                     it loads, otherwise compile with node-gyp; elsewhere than Linux,
//                                     do nothing (the package then throws ERR_UNSUPPORTED).
//   node scripts/addon.cjs build      compile with node-gyp (after editing native/).
//   node scripts/addon.cjs prebuild   compile, then copy the binary to prebuilds/<platform>-<arch>/
//                                     (shipped in the npm package: installs without a compiler).
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const target = `${process.platform}-${process.arch}`;
const prebuilt = join(root, 'prebuilds', target, 'ipc_shm.napi.node');
const built = join(root, 'build', 'Release', 'ipc_shm.node');

function loads(file) {
  try {
    require(file);
    return true;
  } catch {
    return false;
  }
}

function compile() {
  // npm points npm_config_node_gyp at its bundled node-gyp; `node-gyp` is on PATH in npm scripts too.
  const gyp = process.env.npm_config_node_gyp;
  const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) console.error(`@ipc/shm: cannot run node-gyp (${r.error.message}); use npm run build:addon`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const mode = process.argv[2];
if (mode === 'install') {
  if (process.platform !== 'linux') {
    console.log(`@ipc/shm: no native addon for ${target} yet (the package throws ERR_UNSUPPORTED there)`);
  } else if (!(existsSync(prebuilt) && loads(prebuilt))) {
    compile();
  }
} else if (mode === 'build') {
  compile();
} else if (mode === 'prebuild') {
  compile();
  mkdirSync(join(root, 'prebuilds', target), { recursive: true });
  copyFileSync(built, prebuilt);
  console.log(`@ipc/shm: ${prebuilt}`);
} else {
  console.error('usage: node scripts/addon.cjs install|build|prebuild');
  process.exit(2);
}

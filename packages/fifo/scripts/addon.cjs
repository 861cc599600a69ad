#!/usr/bin/env node
// Builds or installs the @ipc/fifo native addon (fcntl F_SETPIPE_SZ). Used by npm scripts,
// never imported.
//   node scripts/addon.cjs install    npm's install step: keep a prebuilt binary for this platform when
//                                     it loads, otherwise compile with node-gyp. Never fails the
//                                     install: the addon is optional (without it, FIFOs keep the
//                                     kernel's default 64 KiB buffer and everything works); elsewhere
//                                     than Linux, do nothing.
//   node scripts/addon.cjs build      compile with node-gyp (after editing native/); fails on error.
//   node scripts/addon.cjs prebuild   compile, then copy the binary to prebuilds/<platform>-<arch>/
//                                     (shipped in the npm package: installs without a compiler).
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const target = `${process.platform}-${process.arch}`;
const prebuilt = join(root, 'prebuilds', target, 'ipc_fifo.napi.node');
const built = join(root, 'build', 'Release', 'ipc_fifo.node');

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
    console.log(`@ipc/fifo: no pipe-size addon for ${target} (FIFOs keep the kernel's default buffer there)`);
  } else if (!(existsSync(prebuilt) && loads(prebuilt))) {
    const status = compile();
    if (status !== 0 || !loads(built)) {
      console.warn(
        `@ipc/fifo: could not build the pipe-size addon (node-gyp exit ${status}); ` +
          "everything works, with the kernel's default 64 KiB FIFO buffer (slower bulk transfers). " +
          'Install a C compiler and run `npm rebuild @ipc/fifo` to get the bigger buffer.',
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
  console.log(`@ipc/fifo: ${prebuilt}`);
} else {
  console.error('usage: node scripts/addon.cjs install|build|prebuild');
  process.exit(2);
}

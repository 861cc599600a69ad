// Builds or installs the Node-API addon of an @ipc package with a native piece (@ipc/shm, @ipc/fifo,
// @ipc/socket): each package's scripts/addon.cjs calls `run` with what is its own. Used by npm
// scripts, never imported by the packages' code (that is `loadAddon` in @ipc/core/internal).
//   install    npm's install step: keep a prebuilt binary for this platform when it loads, otherwise
//              compile with node-gyp. An optional addon never fails the install (the package works
//              without it, as `withoutIt` says); elsewhere than Linux, do nothing.
//   build      compile with node-gyp (after editing native/); fails on error.
//   prebuild   compile, then copy the binary to prebuilds/<platform>-<arch>/ (shipped in the npm
//              package: installs without a compiler).
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

/**
 * @param {object} spec
 * @param {string} spec.root the package's folder
 * @param {string} spec.pkg the package's name, for messages
 * @param {string} spec.name the addon's target_name in binding.gyp
 * @param {string} spec.offLinux what the package does where there is no addon (not Linux)
 * @param {string} [spec.withoutIt] for an optional addon: what works when it cannot be built
 * @param {string} [mode] install | build | prebuild (default: the first command-line argument)
 */
function run(spec, mode = process.argv[2]) {
  const { root, pkg, name } = spec;
  const target = `${process.platform}-${process.arch}`;
  const prebuilt = join(root, 'prebuilds', target, `${name}.napi.node`);
  const built = join(root, 'build', 'Release', `${name}.node`);

  const compile = () => {
    // npm points npm_config_node_gyp at its bundled node-gyp; `node-gyp` is on PATH in npm scripts too.
    const gyp = process.env.npm_config_node_gyp;
    const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
    const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
    if (r.error)
      console.error(`${pkg}: cannot run node-gyp (${r.error.message}); use npm run build:addon -w ${pkg}`);
    return r.status ?? 1;
  };
  const mustCompile = () => {
    const status = compile();
    if (status !== 0) process.exit(status);
  };

  if (mode === 'install') {
    if (process.platform !== 'linux') {
      console.log(`${pkg}: no native addon for ${target} (${spec.offLinux})`);
    } else if (!(existsSync(prebuilt) && loads(prebuilt))) {
      if (spec.withoutIt === undefined) return mustCompile();
      const status = compile();
      if (status !== 0 || !loads(built)) {
        console.warn(
          `${pkg}: could not build the native addon (node-gyp exit ${status}); ${spec.withoutIt} ` +
            `Install a C compiler and run \`npm rebuild ${pkg}\` to get it.`,
        );
      }
    }
  } else if (mode === 'build') {
    mustCompile();
  } else if (mode === 'prebuild') {
    mustCompile();
    mkdirSync(join(root, 'prebuilds', target), { recursive: true });
    copyFileSync(built, prebuilt);
    console.log(`${pkg}: ${prebuilt}`);
  } else {
    console.error('usage: node scripts/addon.cjs install|build|prebuild');
    process.exit(2);
  }
}

function loads(file) {
  try {
    require(file);
    return true;
  } catch {
    return false;
  }
}

module.exports = { run };

#!/usr/bin/env node
// Builds or installs the Node-API addon of an @ipc package with a native piece (@ipc/shm, @ipc/fifo,
// @ipc/socket). It is @ipc/kit's bin `ipc-native-addon`, which those packages' npm scripts run
// (npm puts a dependency's bins on PATH for lifecycle scripts):
//   "install": "ipc-native-addon install", "build:addon": "ipc-native-addon build",
//   "build:prebuilds": "ipc-native-addon prebuild"
// It reads what is the package's own from the package.json of the package whose script runs it
// (npm's npm_package_json, else the current folder): its `name`, and `ipcNativeAddon`:
//   offLinux   what the package does where there is no addon (not Linux), for the install message
//   withoutIt  only for an optional addon: what works when it cannot be built; without it, a failed
//              build fails the install
// The addon's own name and sources come from binding.gyp. Never imported by the packages' code (that
// is `addonLoader`/`loadAddon` in @ipc/kit, which loads build/Release or prebuilds/ with node-gyp-build).
//   install    npm's install step (only when install scripts run: `npm rebuild <pkg>`, or a package
//              manager that allows them): nothing to do when a binary already loads (a prebuilt one
//              for this platform, see `loadAddon`); otherwise compile from source with node-gyp.
//              An optional addon never fails the install (the package works without it, as
//              `withoutIt` says); elsewhere than Linux, do nothing.
//   build      compile from source with node-gyp into build/Release (after editing native/); fails
//              on error.
//   prebuild   compile the shipped binaries into a fresh prebuilds/: one per target below, named
//              the way node-gyp-build picks them (prebuilds/<platform>-<arch>/<name>.napi.<libc>.node),
//              with the C compilers Debian packages (gcc, musl-gcc, aarch64-linux-gnu-gcc). Fails when
//              a compiler is missing, so a pack never ships a partial set. `--targets a,b` limits them.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');

/** One Node-API version for Node 20 to 26 (20.3+ and every later line support 8 and 9). */
const NAPI_VERSION = 8;

/** The prebuilt targets: linux-x64 glibc and musl, linux-arm64 glibc. */
const TARGETS = {
  'linux-x64-glibc': { dir: 'linux-x64', libc: 'glibc', cc: 'gcc', flags: ['-m64'], apt: 'gcc' },
  'linux-x64-musl': {
    dir: 'linux-x64',
    libc: 'musl',
    cc: 'musl-gcc',
    flags: ['-m64'],
    apt: 'musl-tools',
    kernelHeaders: 'x86_64-linux-gnu',
  },
  'linux-arm64-glibc': {
    dir: 'linux-arm64',
    libc: 'glibc',
    cc: 'aarch64-linux-gnu-gcc',
    flags: [],
    apt: 'gcc-aarch64-linux-gnu',
  },
};

/**
 * @param {object} spec
 * @param {string} spec.root the package's folder
 * @param {string} spec.pkg the package's name, for messages
 * @param {string} spec.offLinux what the package does where there is no addon (not Linux)
 * @param {string} [spec.withoutIt] for an optional addon: what works when it cannot be built
 * @param {string[]} [argv] mode and options (default: the command line)
 */
function run(spec, argv = process.argv.slice(2)) {
  const [mode, ...rest] = argv;
  const { root, pkg } = spec;
  if (mode === 'install') {
    install(spec);
  } else if (mode === 'build') {
    const status = compileWithNodeGyp(root, pkg);
    if (status !== 0) process.exit(status);
  } else if (mode === 'prebuild') {
    const i = rest.indexOf('--targets');
    const names = i >= 0 ? (rest[i + 1] ?? '').split(',').filter(Boolean) : Object.keys(TARGETS);
    prebuild(spec, names);
  } else {
    console.error('usage: ipc-native-addon install | build | prebuild [--targets linux-x64-glibc,...]');
    process.exit(2);
  }
}

function install(spec) {
  const { root, pkg } = spec;
  const target = `${process.platform}-${process.arch}`;
  if (process.platform !== 'linux') {
    console.log(`${pkg}: no native addon for ${target} (${spec.offLinux})`);
    return;
  }
  if (loadsAlready(root)) return;
  const status = compileWithNodeGyp(root, pkg);
  if (status === 0 && loadsAlready(root)) return;
  if (spec.withoutIt === undefined) {
    console.error(
      `${pkg}: no prebuilt binary for ${target} loads here and compiling it failed (node-gyp exit ` +
        `${status}): install python3, make and a C compiler, then run \`npm rebuild ${pkg}\`.`,
    );
    process.exit(status || 1);
  }
  console.warn(
    `${pkg}: could not build the native addon (node-gyp exit ${status}); ${spec.withoutIt} ` +
      `Install python3, make and a C compiler and run \`npm rebuild ${pkg}\` to get it.`,
  );
}

/** Whether node-gyp-build finds a binary for this platform under `root` that loads. */
function loadsAlready(root) {
  try {
    const load = require(require.resolve('node-gyp-build', { paths: [root] }));
    load(root);
    return true;
  } catch {
    return false;
  }
}

function compileWithNodeGyp(root, pkg) {
  // npm points npm_config_node_gyp at its bundled node-gyp; `node-gyp` is on PATH in npm scripts too.
  const gyp = process.env.npm_config_node_gyp;
  const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) console.error(`${pkg}: cannot run node-gyp (${r.error.message})`);
  return r.status ?? 1;
}

/** binding.gyp's single target: its name, sources, cflags, defines and libraries. */
function readBinding(root) {
  const gyp = JSON.parse(readFileSync(join(root, 'binding.gyp'), 'utf8'));
  const t = gyp.targets[0];
  const libraries = [];
  for (const [cond, extra] of t.conditions ?? []) {
    if (cond === "OS=='linux'") libraries.push(...(extra.libraries ?? []));
  }
  return {
    name: t.target_name,
    sources: t.sources,
    cflags: t.cflags ?? [],
    defines: (t.defines ?? []).filter((d) => !d.startsWith('NAPI_VERSION=')),
    libraries: [...(t.libraries ?? []), ...libraries],
  };
}

/** The folder holding node_api.h: npm's nodedir, next to this Node, or the system's. */
function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  const found = candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
  if (!found) {
    console.error(`no node_api.h in ${candidates.join(', ')} (set npm_config_nodedir)`);
    process.exit(1);
  }
  return found;
}

function hasCommand(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

function prebuild(spec, names) {
  const { root, pkg } = spec;
  const binding = readBinding(root);
  const unknown = names.filter((n) => !(n in TARGETS));
  if (unknown.length > 0 || names.length === 0) {
    console.error(`${pkg}: unknown prebuild target(s) ${unknown.join(', ')}; known: ${Object.keys(TARGETS)}`);
    process.exit(2);
  }
  const missing = names.filter((n) => !hasCommand(TARGETS[n].cc));
  if (missing.length > 0) {
    const apt = [...new Set(missing.map((n) => TARGETS[n].apt))].join(' ');
    console.error(
      `${pkg}: no compiler for ${missing.join(', ')} (${missing.map((n) => TARGETS[n].cc).join(', ')}); ` +
        `on Debian: apt-get update && apt-get install -y ${apt}`,
    );
    process.exit(1);
  }
  // ipc_errno.h is this package's (@ipc/kit/native), next to this script's folder.
  const kitNative = join(__dirname, '..', 'native');
  const headers = nodeHeaders();
  const out = join(root, 'prebuilds');
  rmSync(out, { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), 'ipc-prebuild-'));
  try {
    for (const n of names) {
      const t = TARGETS[n];
      const includes = [`-I${headers}`, `-I${kitNative}`];
      if (t.kernelHeaders) includes.push(`-isystem${kernelHeaders(scratch, t.kernelHeaders)}`);
      mkdirSync(join(out, t.dir), { recursive: true });
      const file = join(out, t.dir, `${binding.name}.napi.${t.libc}.node`);
      const args = [
        ...t.flags,
        '-shared',
        '-fPIC',
        '-pthread',
        '-s',
        ...binding.cflags,
        `-DNODE_GYP_MODULE_NAME=${binding.name}`,
        `-DNAPI_VERSION=${NAPI_VERSION}`,
        '-DBUILDING_NODE_EXTENSION',
        '-D_FILE_OFFSET_BITS=64',
        '-D_LARGEFILE_SOURCE',
        ...binding.defines.map((d) => `-D${d}`),
        ...includes,
        ...binding.sources.map((s) => join(root, s)),
        '-o',
        file,
        ...binding.libraries,
      ];
      const r = spawnSync(t.cc, args, { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) {
        console.error(`${pkg}: ${t.cc} failed for ${n} (exit ${r.status ?? r.signal})`);
        process.exitCode = 1;
        break;
      }
      console.log(`${pkg}: ${n} -> ${file}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Never leave a partial set behind for a pack to ship.
  if (process.exitCode) rmSync(out, { recursive: true, force: true });
}

/**
 * musl-gcc sees only musl's headers; the Linux kernel's (linux/futex.h and the asm they include)
 * are libc-independent, so a folder of links to the system's copies lends them.
 */
function kernelHeaders(scratch, triplet) {
  const dir = join(scratch, 'kernel-headers');
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  for (const [name, src] of [
    ['linux', '/usr/include/linux'],
    ['asm-generic', '/usr/include/asm-generic'],
    ['asm', `/usr/include/${triplet}/asm`],
  ]) {
    if (existsSync(src)) symlinkSync(src, join(dir, name));
  }
  return dir;
}

/**
 * The settings of the package at `root`: its `name` and its package.json's `ipcNativeAddon`
 * (`offLinux`, optional `withoutIt`); exits 2 naming what is missing.
 */
function specOf(root) {
  const file = join(root, 'package.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`ipc-native-addon: cannot read ${file} (${err.message})`);
    process.exit(2);
  }
  const settings = manifest.ipcNativeAddon;
  if (
    typeof manifest.name !== 'string' ||
    typeof settings !== 'object' ||
    settings === null ||
    typeof settings.offLinux !== 'string' ||
    !(settings.withoutIt === undefined || typeof settings.withoutIt === 'string')
  ) {
    console.error(
      `ipc-native-addon: ${file} needs a "name" and "ipcNativeAddon": { "offLinux": string, "withoutIt"?: string }`,
    );
    process.exit(2);
  }
  return { root, pkg: manifest.name, offLinux: settings.offLinux, withoutIt: settings.withoutIt };
}

if (require.main === module) {
  const manifest = process.env.npm_package_json;
  run(specOf(manifest ? dirname(manifest) : process.cwd()));
}

module.exports = { run, specOf, TARGETS };

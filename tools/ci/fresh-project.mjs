#!/usr/bin/env node
// A user's fresh project outside the repository, with every publishable @ipc package installed from
// its tarball the way a user without a compiler and without install scripts gets it.
//
//   node tools/ci/fresh-project.mjs --out <dir> [--reuse-tarballs]
//
//   1. `npm pack` every non-private workspace package under packages/ into <dir>/tarballs (npm pack runs
//      each package's `prepack`, which builds its dist and, for the native packages, its prebuilds).
//      With --reuse-tarballs, tarballs already in <dir>/tarballs are used as they are. With
//      IPC_CI_TARBALLS=<folder> (set by .ci/run, so that its steps pack once), the tarballs live in
//      that folder: packed there by the first step, reused by the next ones.
//   2. A new <dir>/project (`npm init -y`, "type": "module"), replaced if it exists.
//   3. `npm install --ignore-scripts <tarballs>` (their registry dependencies come from the registry),
//      with stubs that fail for `cc gcc g++ make python3` first on PATH, so nothing can compile.
//
// Logs go to stderr; stdout is one line, the project's absolute path. <dir>/stubs keeps the failing
// compiler stubs (without python3) for callers that want them on PATH while running code too.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (...args) => console.error('fresh-project:', ...args);

function usage(message) {
  if (message) log(message);
  console.error('usage: node tools/ci/fresh-project.mjs --out <dir> [--reuse-tarballs]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { out: undefined, reuseTarballs: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') opts.out = argv[++i];
    else if (arg.startsWith('--out=')) opts.out = arg.slice('--out='.length);
    else if (arg === '--reuse-tarballs') opts.reuseTarballs = true;
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!opts.out) usage('--out is required');
  opts.out = resolve(opts.out);
  const rel = relative(repo, opts.out);
  if (rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'))) {
    usage(`--out must be outside the repository (${repo}): npm would treat it as part of the workspace`);
  }
  return opts;
}

/** The publishable workspace packages under packages/: `{ name, dir }`, in folder order. */
function publishablePackages() {
  const root = join(repo, 'packages');
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'package.json')))
    .map((e) => {
      const dir = join(root, e.name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: pkg.name, dir, private: pkg.private === true };
    })
    .filter((p) => !p.private);
}

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    if (r.stdout) process.stderr.write(r.stdout);
    log(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  return r.stdout;
}

function tarballsIn(dir) {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.tgz'))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

function pack(packages, tarballDir) {
  rmSync(tarballDir, { recursive: true, force: true });
  mkdirSync(tarballDir, { recursive: true });
  const started = Date.now();
  const args = ['pack', '--loglevel=warn', '--pack-destination', tarballDir];
  for (const p of packages) args.push('--workspace', p.name);
  // stdout: each prepack's output and the file names; the folder is the truth.
  const out = run('npm', args, { cwd: repo });
  if (process.env.FRESH_PROJECT_VERBOSE) process.stderr.write(out);
  for (const t of tarballsIn(tarballDir)) log(`packed ${basename(t)} (${statSync(t).size} bytes)`);
  log(`npm pack: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function writeStubs(dir, names) {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const file = join(dir, name);
    writeFileSync(
      file,
      `#!/bin/sh\necho "${name}: not available (fresh-project stub: no compiler)" >&2\nexit 1\n`,
    );
    chmodSync(file, 0o755);
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const shared = process.env.IPC_CI_TARBALLS;
  const tarballDir = shared ? resolve(shared) : join(opts.out, 'tarballs');
  const projectDir = join(opts.out, 'project');
  const packages = publishablePackages();

  let tarballs = opts.reuseTarballs || shared ? tarballsIn(tarballDir) : [];
  if (tarballs.length === 0) {
    pack(packages, tarballDir);
    tarballs = tarballsIn(tarballDir);
  } else {
    log(`reusing ${tarballs.length} tarballs in ${tarballDir}`);
  }
  if (tarballs.length !== packages.length) {
    log(
      `expected ${packages.length} tarballs (${packages.map((p) => p.name).join(', ')}), found ${tarballs.length}`,
    );
    process.exit(1);
  }

  const stubs = join(opts.out, 'stubs');
  const installStubs = join(opts.out, 'stubs-install');
  writeStubs(stubs, ['cc', 'gcc', 'g++', 'make', 'c++', 'clang']);
  writeStubs(installStubs, ['cc', 'gcc', 'g++', 'make', 'c++', 'clang', 'python3', 'python']);

  rmSync(projectDir, { recursive: true, force: true });
  mkdirSync(projectDir, { recursive: true });
  run('npm', ['init', '-y'], { cwd: projectDir });
  const pkgFile = join(projectDir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  pkg.type = 'module';
  pkg.private = true;
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');

  const env = { ...process.env, PATH: `${installStubs}${delimiter}${process.env.PATH ?? ''}` };
  // npm must not see the repository's npm settings (workspaces, allowScripts) from the caller's env.
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_')) delete env[key];
  }
  // @ipc/mq's libraries are optional peer dependencies (a user installs the one they use, as its README
  // says); the smoke test uses ZeroMQ and the README examples both, so the project installs both beside
  // the tarballs, at the versions @ipc/mq asks for.
  const mqPeers = JSON.parse(
    readFileSync(join(repo, 'packages', 'mq', 'package.json'), 'utf8'),
  ).peerDependencies;
  const peers = [`zeromq@${mqPeers.zeromq}`, `amqplib@${mqPeers.amqplib}`];
  const started = Date.now();
  run(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...peers],
    {
      cwd: projectDir,
      env,
    },
  );
  log(
    `npm install --ignore-scripts (${tarballs.length} tarballs): ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(projectDir);
}

main();

#!/usr/bin/env node
// Runs every README code block marked runnable, as a user would: in a project that installed the
// packed tarballs, from another working directory, with a timeout, twice (a rerun must work too).
//
//   node tools/ci/readme-examples.mjs [--project <dir>] [--out <dir>] [--only <README path part>]
//                                     [--node <node binary>]
//
// Markers (HTML comments, invisible on GitHub and npm), on the line before a ```js block:
//   <!-- runnable -->                  the block is a program (written as main.mjs) that must exit 0
//   <!-- runnable-file: worker.mjs --> the block is a helper file written next to every program of
//                                      the same README
// Without --project, tools/ci/fresh-project.mjs packs every package and installs the tarballs into
// <out>/project (default out: a new temp folder). Exits 1 if any program fails or times out.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
function arg(name) {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const TIMEOUT_MS = Number(process.env.README_EXAMPLE_TIMEOUT_MS ?? 60_000);
const RUNS = 2;
const node = arg('--node') ?? process.execPath;

/** The marked blocks of one README: `{ programs: [{ line, code }], files: [{ name, code }] }`. */
export function extractRunnable(markdown) {
  const lines = markdown.split('\n');
  const programs = [];
  const files = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!--\s*runnable(?:-file:\s*([\w.-]+))?\s*-->\s*$/.exec(lines[i]);
    if (!marker) continue;
    let start = i + 1;
    while (start < lines.length && lines[start].trim() === '') start++; // Prettier adds a blank line
    if (!/^```(js|javascript|mjs)\b/.test(lines[start] ?? '')) {
      throw new Error(`line ${i + 1}: a runnable marker must be followed by a \`\`\`js block`);
    }
    let end = start + 1;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    const code = lines.slice(start + 1, end).join('\n') + '\n';
    if (marker[1] === undefined) programs.push({ line: i + 1, code });
    else files.push({ name: marker[1], code });
    i = end;
  }
  return { programs, files };
}

function readmes() {
  const out = [join(repo, 'README.md')];
  for (const dir of readdirSync(join(repo, 'packages'))) {
    const file = join(repo, 'packages', dir, 'README.md');
    try {
      readFileSync(file);
      out.push(file);
    } catch {
      // no README
    }
  }
  return out;
}

function runOnce(file, cwd) {
  return new Promise((done) => {
    const child = spawn(node, [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ ok: false, why: `timed out after ${TIMEOUT_MS} ms`, output });
    }, TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ ok: code === 0, why: `exit ${code ?? signal}`, output });
    });
  });
}

async function main() {
  let project = arg('--project');
  const only = arg('--only');
  let out;
  if (project === undefined) {
    out = resolve(arg('--out') ?? mkdtempSync(join(tmpdir(), 'ipc-readme-examples-')));
    const r = spawnSync(process.execPath, [join(repo, 'tools', 'ci', 'fresh-project.mjs'), '--out', out], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error('fresh-project.mjs failed');
    project = r.stdout.trim().split('\n').pop();
  }
  project = resolve(project);
  const work = mkdtempSync(join(project, 'readme-examples-'));
  const cwd = mkdtempSync(join(tmpdir(), 'ipc-readme-cwd-')); // not the program's folder
  let failed = 0;
  let ran = 0;
  try {
    for (const readme of readmes()) {
      const name = relative(repo, readme);
      if (only !== undefined && !name.includes(only)) continue;
      const { programs, files } = extractRunnable(readFileSync(readme, 'utf8'));
      for (const [n, program] of programs.entries()) {
        const dir = join(work, `${name.replace(/[/.]/g, '-')}-${n + 1}`);
        mkdirSync(dir, { recursive: true });
        for (const f of files) writeFileSync(join(dir, f.name), f.code);
        writeFileSync(join(dir, 'main.mjs'), program.code);
        for (let run = 1; run <= RUNS; run++) {
          ran++;
          const r = await runOnce(join(dir, 'main.mjs'), cwd);
          const label = `${name}:${program.line} (run ${run})`;
          if (r.ok) {
            console.log(`ok   ${label}`);
          } else {
            failed++;
            console.log(`FAIL ${label}: ${r.why}\n${r.output.replace(/^/gm, '     | ')}`);
          }
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
    if (out !== undefined && arg('--out') === undefined) rmSync(out, { recursive: true, force: true });
  }
  console.log(`readme examples on ${node}: ${ran - failed} passed, ${failed} failed`);
  if (ran === 0) throw new Error('no runnable README example found');
  process.exitCode = failed === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

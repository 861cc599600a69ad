#!/usr/bin/env node
// A strict TypeScript consumer of the installed packages: in a project that installed the tarballs,
// type-checks one file that imports every package's entry points, with `strict` and
// `skipLibCheck: false`, so that a published type that needs something the user does not have
// (TS7016: types of a devDependency) fails here.
//
//   node tools/ci/strict-consumer-types.mjs --project <dir>
//
// Uses the repository's TypeScript and @types/node (a user has their own).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const i = process.argv.indexOf('--project');
if (i === -1) {
  console.error('usage: node tools/ci/strict-consumer-types.mjs --project <dir>');
  process.exit(2);
}
const project = resolve(process.argv[i + 1]);

const imports = [];
const scope = join(project, 'node_modules', '@ipc');
for (const name of readdirSync(scope).sort()) {
  const pkg = JSON.parse(readFileSync(join(scope, name, 'package.json'), 'utf8'));
  for (const [entry, target] of Object.entries(pkg.exports ?? { '.': {} })) {
    if (typeof target === 'string' || entry.endsWith('.json')) continue; // no types by design
    imports.push(`${pkg.name}${entry.slice(1)}`);
  }
}
const dir = mkdtempSync(join(project, 'strict-types-'));
try {
  writeFileSync(
    join(dir, 'consumer.ts'),
    imports.map((m, n) => `import * as m${n} from '${m}';\nexport { m${n} };\n`).join(''),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        lib: ['ES2023', 'ESNext.Disposable'],
        types: ['node'],
        typeRoots: [join(repo, 'node_modules', '@types')],
      },
      files: ['consumer.ts'],
    }),
  );
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  console.log(`strict consumer types (${imports.join(', ')}): ${r.status === 0 ? 'ok' : 'FAILED'}`);
  process.exitCode = r.status === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Proves that eslint.config.js rejects the imports the package boundaries forbid (and lets the
// allowed ones through): for each case, the no-restricted-imports setting that the repository's
// config gives that file path is run on a small snippet. Exits 1 on the first surprise.
//   node tools/ci/import-boundaries-check.mjs
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** [file path the snippet pretends to be, import specifier, rejected?] */
const CASES = [
  ['packages/pipe/src/boundary-probe.ts', '@ipc/socket', true],
  ['packages/pipe/src/boundary-probe.ts', '../../socket/src/index.js', true],
  ['packages/socket/src/boundary-probe.ts', '@ipc/shm', true],
  ['packages/mq/src/zmq/boundary-probe.ts', '@ipc/queue', true],
  ['packages/queue/src/boundary-probe.ts', '@ipc/file', true],
  ['packages/core/src/boundary-probe.ts', '@ipc/pipe', true],
  ['packages/core/src/codecs/boundary-probe.ts', '@ipc/core/testing', true],
  ['packages/pipe/src/boundary-probe.ts', '@ipc/core', false],
  ['packages/pipe/src/boundary-probe.ts', '@ipc/kit', false],
  ['packages/pipe/src/boundary-probe.ts', '@ipc/core/internal', true],
  ['packages/kit/src/boundary-probe.ts', '@ipc/core', false],
  ['packages/kit/src/boundary-probe.ts', '@ipc/socket', true],
  ['packages/core/src/boundary-probe.ts', '@ipc/kit', true],
  ['packages/pipe/src/boundary-probe.ts', './pipe-channel.js', false],
  ['packages/mq/src/zmq/boundary-probe.ts', '../optional-peer.js', false],
  ['packages/queue/src/boundary-probe.ts', '@ipc/shm', false],
  ['packages/pipe/test/boundary-probe.test.ts', '@ipc/socket', false],
  ['tools/bench/src/boundary-probe.ts', '@ipc/socket', false],
  ['examples/boundary-probe/index.mjs', '@ipc/mq/zmq', false],
];

const eslint = new ESLint({ cwd: repo });
const linter = new Linter({ cwd: repo });
let failures = 0;
for (const [file, specifier, rejected] of CASES) {
  const config = await eslint.calculateConfigForFile(file);
  const setting = config?.rules?.['no-restricted-imports'];
  const code = `import { thing } from '${specifier}';\nexport const used = thing;\n`;
  const messages =
    setting === undefined
      ? []
      : linter.verify(
          code,
          [
            {
              files: ['**/*.ts', '**/*.mjs'],
              languageOptions: { parser: tseslint.parser },
              rules: { 'no-restricted-imports': setting },
            },
          ],
          resolve(repo, file),
        );
  const errors = messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2);
  const ok = rejected ? errors.length === 1 : errors.length === 0 && messages.length === 0;
  if (!ok) failures += 1;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${file}: import '${specifier}' ${rejected ? 'rejected' : 'allowed'}` +
      (errors[0] !== undefined ? `\n       ${errors[0].message}` : '') +
      (ok || rejected ? '' : `\n       ${JSON.stringify(messages)}`),
  );
}
console.log(`import boundaries: ${CASES.length - failures} of ${CASES.length} cases as expected`);
process.exit(failures === 0 ? 0 : 1);

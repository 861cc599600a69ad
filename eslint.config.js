// Type-aware lint for every package, tool and example (typescript-eslint, flat config).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// ---------------------------------------------------------------- package boundaries
// The house rules of imports between packages, checked on every package's src/ (tests, tools/ and
// examples/ may import anything). Each message teaches the rule to whoever breaks it.

/** Transports: every package under packages/ except core and kit. */
const TRANSPORTS = ['pipe', 'socket', 'fifo', 'file', 'mq', 'signal', 'shm', 'queue'];

/** A relative import that leaves its package (`../../socket/src/…`): always wrong, name the package instead. */
const RELATIVE_ACROSS_PACKAGES = {
  regex: '^(\\.\\./){2,}(packages/)?[a-z]+/(src|dist)(/|$)',
  message:
    'Reach another package by its name (@ipc/<name>), never by a relative path into its folder: ' +
    'a relative path skips its exports map and breaks once the packages are installed from npm.',
};

/** The entry that held the transports' shared helpers until they moved into @ipc/kit. */
const CORE_INTERNAL = {
  regex: '^@ipc/core/internal(/|$)',
  message:
    '@ipc/core/internal is gone: core is the contract only. The stream channel, inbox, send gate and addon ' +
    'loader are public in @ipc/kit (transports may import it); the rest is in @ipc/core itself.',
};

/**
 * `no-restricted-imports` for a package's src/: any @ipc package outside `allowed` is an error.
 *
 * @param {string[]} allowed the @ipc package names it may import (with their subpaths)
 * @param {string} message what the rule is and why
 */
function boundary(allowed, message) {
  const except = allowed.length === 0 ? '' : `(?!(${allowed.join('|')})(/|$))`;
  return [
    'error',
    { patterns: [CORE_INTERNAL, { regex: `^@ipc/${except}`, message }, RELATIVE_ACROSS_PACKAGES] },
  ];
}

const boundaries = [
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary(
        [],
        '@ipc/core is the contract every package builds on (channel, codecs, framing, errors, locks), so it ' +
          'imports no @ipc package: @ipc/kit and the transports depend on core, never the other way round. ' +
          'A shared piece that does I/O belongs in @ipc/kit; one only a transport uses stays in that transport.',
      ),
    },
  },
  {
    files: ['packages/kit/src/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary(
        ['core'],
        '@ipc/kit is the toolkit transports are built from (stream channel, inbox, send gate, addon loader): it ' +
          'builds on @ipc/core only and never on a transport — a transport imports the kit, not the other way ' +
          'round. Code that needs a transport belongs in that transport, or in tools/ or examples/.',
      ),
    },
  },
  ...TRANSPORTS.filter((name) => name !== 'queue').map((name) => ({
    files: [`packages/${name}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': boundary(
        ['core', 'kit'],
        `@ipc/${name} is a transport: it builds on @ipc/core (the contract) and @ipc/kit (the toolkit) and on ` +
          'no other @ipc package — transports never import each other, so each one installs, builds and ' +
          'breaks on its own. Put shared code into @ipc/kit (I/O) or @ipc/core (contract); combine transports ' +
          'in tools/ or examples/.',
      ),
    },
  })),
  {
    files: ['packages/queue/src/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary(
        ['core', 'kit', 'shm'],
        '@ipc/queue is a transport built on shared memory: it imports @ipc/core, @ipc/kit and @ipc/shm, and ' +
          'no other @ipc package — transports never import each other. Put shared code into @ipc/kit or ' +
          '@ipc/core; combine transports in tools/ or examples/.',
      ),
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/build/**',
      '**/node_modules/**',
      '.nx/**',
      'coverage/**',
      'bench-results/**',
      '.bench-compare/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  ...boundaries,
  {
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);

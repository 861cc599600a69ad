import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir, uniqueName } from '@ipc/core/testing';

const packageRoot = join(__dirname, '..');

describe('@ipc/shm installed without a loadable native addon', () => {
  it('throws a typed ERR_UNSUPPORTED naming the user-level fix, never a repository command', () => {
    // A real install of the built package with no build/ and no prebuilds/, as when no prebuilt
    // binary exists for the platform and install scripts were off.
    const root = tempDir('ipc-shm-noaddon-');
    try {
      const scope = join(root.path, 'node_modules', '@ipc');
      const pkg = join(scope, 'shm');
      mkdirSync(pkg, { recursive: true });
      copyFileSync(join(packageRoot, 'package.json'), join(pkg, 'package.json'));
      cpSync(join(packageRoot, 'dist'), join(pkg, 'dist'), { recursive: true });
      symlinkSync(join(packageRoot, '..', 'core'), join(scope, 'core'));
      symlinkSync(join(packageRoot, '..', 'kit'), join(scope, 'kit'));
      const gypBuild = dirname(require.resolve('node-gyp-build/package.json', { paths: [packageRoot] }));
      symlinkSync(gypBuild, join(root.path, 'node_modules', 'node-gyp-build'));
      writeFileSync(join(root.path, 'package.json'), '{"type":"module"}');
      const script = join(root.path, 'child.mjs');
      writeFileSync(
        script,
        `import { SharedMemory } from '@ipc/shm';
         try {
           SharedMemory.create(${JSON.stringify(uniqueName('ipc-noaddon'))}, 64).close();
           console.log(JSON.stringify({ created: true }));
         } catch (err) {
           console.log(JSON.stringify({ name: err.name, code: err.code, message: err.message }));
         }`,
      );

      const child = spawnSync(process.execPath, [script], {
        cwd: root.path,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status).toBe(0);
      const out = JSON.parse(child.stdout.trim()) as { name: string; code: string; message: string };
      expect(out.name).toBe('IpcError');
      expect(out.code).toBe('ERR_UNSUPPORTED');
      expect(out.message).toContain('npm rebuild @ipc/shm');
      expect(out.message).toContain('prebuilt binaries for linux-x64');
      expect(out.message).not.toMatch(/npm run|build:addon| -w /);
    } finally {
      root.remove();
    }
  });
});

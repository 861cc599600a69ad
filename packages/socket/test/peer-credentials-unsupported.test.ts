import { copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '@ipc/core/testing';
import { jsonChild } from './fixtures/child-json.js';

const packageRoot = join(__dirname, '..');

describe('peer credentials without the native addon', () => {
  it('are ERR_UNSUPPORTED on Unix sockets (never a crash), undefined over TCP, and messages still flow', async () => {
    // A real install of the built package with the addon left out, as when it could not compile.
    const root = tempDir('ipc-noaddon-');
    try {
      const pkg = join(root.path, 'node_modules', '@ipc', 'socket');
      mkdirSync(pkg, { recursive: true });
      copyFileSync(join(packageRoot, 'package.json'), join(pkg, 'package.json'));
      cpSync(join(packageRoot, 'dist'), join(pkg, 'dist'), { recursive: true });
      symlinkSync(join(packageRoot, '..', 'core'), join(root.path, 'node_modules', '@ipc', 'core'));
      symlinkSync(join(packageRoot, '..', 'kit'), join(root.path, 'node_modules', '@ipc', 'kit'));
      expect(existsSync(join(pkg, 'build'))).toBe(false);
      const script = join(root.path, 'child.mjs');
      copyFileSync(join(__dirname, 'fixtures', 'no-addon-child.mjs'), script);
      writeFileSync(join(root.path, 'package.json'), '{"type":"module"}');

      const child = jsonChild(process.execPath, [script, root.path]);
      const out = await child.next();
      await child.exited;
      const unsupported = { code: 'ERR_UNSUPPORTED', message: expect.stringContaining('addon') };
      expect(out.allowUids).toEqual({
        code: 'ERR_UNSUPPORTED',
        message: expect.stringContaining('allowUids cannot be enforced'),
      });
      expect(existsSync(join(root.path, 'a.sock'))).toBe(false);
      expect(out.unix).toEqual({
        reply: { echo: 'hi', peer: unsupported },
        info: null,
        clientPeer: unsupported,
      });
      expect(out.tcp).toEqual({ reply: { echo: 'hi', peer: null }, info: null, clientPeer: null });
    } finally {
      root.remove();
    }
  });
});

import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpcError, isIpcError, toIpcError } from '@ipc/core';
import { tempDir } from '@ipc/core/testing';

jest.setTimeout(60_000);

const coreDir = join(__dirname, '..');

describe('IpcError across two copies of @ipc/core', () => {
  it('isIpcError, toIpcError and instanceof recognise an IpcError from another copy in the same process', () => {
    // two real copies of the built package, as two transports that resolved different versions get
    const dir = tempDir('ipc-core-test-');
    try {
      const copy = join(dir.path, 'node_modules', '@ipc', 'core');
      mkdirSync(copy, { recursive: true });
      cpSync(join(coreDir, 'dist'), join(copy, 'dist'), { recursive: true });
      cpSync(join(coreDir, 'package.json'), join(copy, 'package.json'));
      symlinkSync(
        join(coreDir, '..', '..', 'node_modules', 'msgpackr'),
        join(dir.path, 'node_modules', 'msgpackr'),
      );
      const script = join(dir.path, 'two-copies.mjs');
      writeFileSync(
        script,
        `import * as a from ${JSON.stringify(join(coreDir, 'dist', 'index.js'))};
         import * as b from '@ipc/core';
         const fromB = new b.IpcError('ERR_TIMEOUT', 'from copy b');
         const fromA = new a.IpcError('ERR_CLOSED', 'from copy a');
         console.log(JSON.stringify({
           distinctClasses: a.IpcError !== b.IpcError,
           isIpcError: a.isIpcError(fromB) && b.isIpcError(fromA),
           withCode: a.isIpcError(fromB, 'ERR_TIMEOUT') && !a.isIpcError(fromB, 'ERR_CLOSED'),
           instanceOf: fromB instanceof a.IpcError && fromA instanceof b.IpcError,
           toIpcErrorKeeps: a.toIpcError(fromB) === fromB,
           plainErrorNot: !a.isIpcError(Object.assign(new Error('x'), { name: 'IpcError', code: 'ERR_CLOSED' })),
         }));`,
      );
      const out = execFileSync(process.execPath, [script], { cwd: dir.path, encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({
        distinctClasses: true,
        isIpcError: true,
        withCode: true,
        instanceOf: true,
        toIpcErrorKeeps: true,
        plainErrorNot: true,
      });
    } finally {
      dir.remove();
    }
  });

  it('keeps instanceof exact for subclasses and non-errors', () => {
    class Special extends IpcError {}
    const special = new Special('ERR_AUTH', 'no');
    expect(special instanceof Special).toBe(true);
    expect(new IpcError('ERR_AUTH', 'no') instanceof Special).toBe(false);
    expect(special instanceof IpcError).toBe(true);
    expect(isIpcError(special, 'ERR_AUTH')).toBe(true);
    expect({ code: 'ERR_AUTH', name: 'IpcError' } instanceof IpcError).toBe(false);
    expect(isIpcError(null)).toBe(false);
    expect(toIpcError(new Error('plain')).code).toBe('ERR_INTERNAL');
  });
});

import { describe, expect, it } from '@jest/globals';
import { formatAddress, parseAddress, SUN_PATH_BYTES, type SocketAddress } from '@ipc/socket';

describe('addresses', () => {
  it.each<[string, SocketAddress]>([
    ['unix:///run/app.sock', { kind: 'unix', path: '/run/app.sock' }],
    ['unix:///tmp/a%20b.sock', { kind: 'unix', path: '/tmp/a b.sock' }],
    ['unix-abstract:my-daemon', { kind: 'abstract', name: 'my-daemon' }],
    ['tcp://127.0.0.1:7000', { kind: 'tcp', host: '127.0.0.1', port: 7000 }],
    ['tcp://[::1]:7000', { kind: 'tcp', host: '::1', port: 7000 }],
    ['tcp://localhost:0', { kind: 'tcp', host: 'localhost', port: 0 }],
    ['tls://example.org:7443/', { kind: 'tls', host: 'example.org', port: 7443 }],
  ])('parses %s and formats it back', (text, address) => {
    expect(parseAddress(text)).toEqual(address);
    expect(parseAddress(formatAddress(address))).toEqual(address);
    expect(parseAddress(address)).toEqual(address);
  });

  it.each([
    'http://127.0.0.1:80',
    '/tmp/bare-path.sock',
    'unix://relative.sock',
    'tcp://127.0.0.1',
    'tcp://127.0.0.1:70000',
    'tcp://:7000',
    'unix-abstract:',
    'unix:///tmp/%E0%A4%A',
    'unix:///tmp/nul%00.sock',
    `unix:///${'x'.repeat(SUN_PATH_BYTES)}`,
  ])('refuses %s with ERR_INVALID_ARGUMENT', (text) => {
    expect(() => parseAddress(text)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('refuses bad address objects with ERR_INVALID_ARGUMENT', () => {
    for (const bad of [
      { kind: 'udp', host: 'x', port: 1 },
      { kind: 'tcp', host: '', port: 1 },
      { kind: 'tcp', host: 'x', port: 1.5 },
      { kind: 'unix', path: '' },
      null,
      42,
    ]) {
      expect(() => parseAddress(bad as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    }
  });

  it('counts sun_path in bytes, not characters', () => {
    const fits = `/${'é'.repeat(52)}`; // 105 bytes
    expect(parseAddress({ kind: 'unix', path: fits })).toEqual({ kind: 'unix', path: fits });
    expect(() => parseAddress({ kind: 'unix', path: `/${'é'.repeat(54)}` })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  codecs,
  isIpcError,
  json,
  msgpack,
  pickle,
  raw,
  resolveCodec,
  structured,
  type Codec,
} from '@ipc/core';

const all: Codec<unknown>[] = [msgpack, json, structured, pickle];

describe('codecs', () => {
  it.each(all.map((c) => [c.name, c] as const))('%s round-trips a message', (_name, codec) => {
    const message = { id: 7, user: 'user-7', items: [1, 2, 3], ok: true, score: 0.5, nested: { s: 'é✓' } };
    expect(codec.decode(codec.encode(message))).toEqual(message);
  });

  it.each(all.map((c) => [c.name, c] as const))(
    '%s never lets a decoded __proto__ reach a prototype',
    (_n, codec) => {
      const bytes =
        codec === json
          ? Buffer.from('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')
          : codec.encode(
              JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
            );
      const decoded = codec.decode(bytes) as Record<string, unknown>;
      // The prototype is a realm's plain Object.prototype (node:v8 decodes in the main realm, not Jest's).
      const proto = Object.getPrototypeOf(decoded) as object;
      expect(Object.getPrototypeOf(proto)).toBeNull();
      expect(Object.hasOwn(proto, 'polluted')).toBe(false);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect((decoded as { polluted?: unknown }).polluted).toBeUndefined();
    },
  );

  it.each(all.map((c) => [c.name, c] as const))('%s throws only ERR_DECODE on random bytes', (_n, codec) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          codec.decode(bytes);
        } catch (err) {
          expect(isIpcError(err, 'ERR_DECODE')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects values a codec cannot encode with ERR_ENCODE', () => {
    expect(() => json.encode(undefined)).toThrow(expect.objectContaining({ code: 'ERR_ENCODE' }));
    expect(() => json.encode(10n)).toThrow(expect.objectContaining({ code: 'ERR_ENCODE' }));
    expect(() => raw.encode('text' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'ERR_ENCODE' }),
    );
    expect(() => structured.encode(() => 1)).toThrow(expect.objectContaining({ code: 'ERR_ENCODE' }));
  });

  it('raw passes bytes through without copying', () => {
    const bytes = Buffer.from('abc');
    expect(raw.decode(raw.encode(bytes))).toBe(bytes);
  });

  it('resolves codec names and refuses unknown ones with the list', () => {
    expect(resolveCodec('json')).toBe(json);
    expect(resolveCodec(undefined)).toBe(msgpack);
    expect(Object.keys(codecs)).toEqual(['msgpack', 'json', 'raw', 'structured', 'pickle']);
    expect(() => resolveCodec('yaml' as 'json')).toThrow(/msgpack, json, raw, structured, pickle/);
  });
});

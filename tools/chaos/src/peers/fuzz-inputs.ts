/** A small seeded PRNG (mulberry32), so that a failing input can be found again from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random bytes. */
export function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** A copy of `bytes` with a few bytes flipped, cut, or inserted. */
export function mutate(rand: () => number, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1));
    const what = rand();
    if (what < 0.5 && out.length > 0) out[Math.min(at, out.length - 1)] = Math.floor(rand() * 256);
    else if (what < 0.75) out.splice(at, 0, Math.floor(rand() * 256));
    else out.length = at;
  }
  return Uint8Array.from(out);
}

const names = [
  'valueOf',
  'constructor',
  '__proto__',
  'toString',
  'prototype',
  'Error',
  'hasOwnProperty',
  'then',
];

/** msgpack: an extension of a random type (often 0x65, msgpackr's error extension) over a named array. */
export function hostileMsgpackExt(rand: () => number): Uint8Array {
  const name = Buffer.from(names[Math.floor(rand() * names.length)] ?? 'valueOf');
  const inner = Buffer.concat([Buffer.from([0x92, 0xa0 | name.length]), name, Buffer.from([0xa1, 0x78])]);
  const type = rand() < 0.5 ? 0x65 : Math.floor(rand() * 256);
  // msgpackr reads the value after a 1-byte 0x65 extension as [name, message]; other types carry it inside.
  if (rand() < 0.5) return Buffer.concat([Buffer.from([0xd4, type, 0x00]), inner]);
  return Buffer.concat([Buffer.from([0xc7, inner.length, type]), inner]);
}

/** The inputs every codec must refuse or decode to plain data, whatever the fuzz draws. */
export const knownHostile: readonly Uint8Array[] = [
  Buffer.from([0xc1]), // "never used" in msgpack
  Buffer.concat([
    Buffer.from([0xc7, 11, 0x65, 0x92, 0xa7]),
    Buffer.from('valueOf'),
    Buffer.from([0xa1, 0x78]),
  ]),
  Buffer.from([0xd4, 0x65, 0x00]),
  Buffer.from('d4650092a776616c75654f66a178', 'hex'), // error extension named valueOf: msgpackr's error table
  Buffer.from('{"__proto__":{"polluted":1}}'),
  Buffer.from([0xff, 0x0f, 0x6f, 0x22, 0x01, 0x61, 0x5f, 0x00, 0x7b, 0x01]),
];

/** Sample messages whose encodings the fuzz mutates. */
export const samples: readonly unknown[] = [
  { a: 1, b: 'two', c: [3, 4.5, null, true], d: { e: 'f' } },
  [1, 2, 3, 'x'.repeat(40)],
  'a string',
  12345678901,
  { $rpc: 'req', id: 7, body: { n: 1 } },
  { nested: [[[{ deep: [1] }]]] },
];

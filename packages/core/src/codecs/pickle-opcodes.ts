/**
 * The pickle opcodes this package reads or writes, and those it refuses (they name a class or call
 * something). Names and values as in CPython's `Lib/pickle.py`.
 */

/** Opcodes of pickle protocols 0 to 5 by name. */
export const op = {
  MARK: 0x28, // (
  STOP: 0x2e, // .
  POP: 0x30, // 0
  POP_MARK: 0x31, // 1
  DUP: 0x32, // 2
  FLOAT: 0x46, // F
  INT: 0x49, // I
  BININT: 0x4a, // J
  BININT1: 0x4b, // K
  LONG: 0x4c, // L
  BININT2: 0x4d, // M
  NONE: 0x4e, // N
  PERSID: 0x50, // P
  BINPERSID: 0x51, // Q
  REDUCE: 0x52, // R
  STRING: 0x53, // S
  BINSTRING: 0x54, // T
  SHORT_BINSTRING: 0x55, // U
  UNICODE: 0x56, // V
  BINUNICODE: 0x58, // X
  APPEND: 0x61, // a
  BUILD: 0x62, // b
  GLOBAL: 0x63, // c
  DICT: 0x64, // d
  EMPTY_DICT: 0x7d, // }
  APPENDS: 0x65, // e
  GET: 0x67, // g
  BINGET: 0x68, // h
  INST: 0x69, // i
  LONG_BINGET: 0x6a, // j
  LIST: 0x6c, // l
  EMPTY_LIST: 0x5d, // ]
  OBJ: 0x6f, // o
  PUT: 0x70, // p
  BINPUT: 0x71, // q
  LONG_BINPUT: 0x72, // r
  SETITEM: 0x73, // s
  TUPLE: 0x74, // t
  EMPTY_TUPLE: 0x29, // )
  SETITEMS: 0x75, // u
  BINFLOAT: 0x47, // G
  // protocol 2
  PROTO: 0x80,
  NEWOBJ: 0x81,
  EXT1: 0x82,
  EXT2: 0x83,
  EXT4: 0x84,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  LONG1: 0x8a,
  LONG4: 0x8b,
  // protocol 3
  BINBYTES: 0x42, // B
  SHORT_BINBYTES: 0x43, // C
  // protocol 4
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  BINBYTES8: 0x8e,
  EMPTY_SET: 0x8f,
  ADDITEMS: 0x90,
  FROZENSET: 0x91,
  NEWOBJ_EX: 0x92,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
  // protocol 5
  BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97,
  READONLY_BUFFER: 0x98,
} as const;

/**
 * The opcodes that name a class, call something or reach outside the stream — what makes
 * `pickle.loads` run code. The reader refuses each of them before it constructs anything.
 */
export const refusedOpcodes: ReadonlyMap<number, string> = new Map([
  [op.GLOBAL, 'GLOBAL'],
  [op.STACK_GLOBAL, 'STACK_GLOBAL'],
  [op.REDUCE, 'REDUCE'],
  [op.BUILD, 'BUILD'],
  [op.INST, 'INST'],
  [op.OBJ, 'OBJ'],
  [op.NEWOBJ, 'NEWOBJ'],
  [op.NEWOBJ_EX, 'NEWOBJ_EX'],
  [op.EXT1, 'EXT1'],
  [op.EXT2, 'EXT2'],
  [op.EXT4, 'EXT4'],
  [op.PERSID, 'PERSID'],
  [op.BINPERSID, 'BINPERSID'],
  [op.NEXT_BUFFER, 'NEXT_BUFFER'],
  [op.READONLY_BUFFER, 'READONLY_BUFFER'],
]);

/** The pickle protocols this package writes. */
export type PickleProtocol = 2 | 3 | 4 | 5;

/**
 * The protocol Python's `multiprocessing.connection.Connection.send` writes: `pickle.DEFAULT_PROTOCOL`
 * (ForkingPickler passes no protocol), which is 4 on Python 3.8 to 3.13 and 5 from Python 3.14. Every
 * Python 3.8+ reads both.
 */
export const DEFAULT_PICKLE_PROTOCOL: PickleProtocol = 4;

/** Pickle's highest protocol, the highest a stream may declare. */
export const HIGHEST_PICKLE_PROTOCOL = 5;

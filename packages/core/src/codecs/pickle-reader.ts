/**
 * Reads a pickle made of data only — what Python's pickler writes for `None`, `bool`, `int`, `float`,
 * `str`, `bytes`, `bytearray` (protocol 5), `list`, `tuple`, `dict`, `set` and `frozenset` — and
 * refuses every opcode that names a class or calls something (see `refusedOpcodes`): nothing is
 * looked up, called or constructed but those containers, and no decoded key reaches a prototype.
 *
 * The reader is a loop over the stream (no recursion): a deep stream cannot overflow the stack.
 * The memo holds at most `maxMemo` entries, containers nest at most `maxDepth` deep, and a stream
 * that ends early, underflows the stack or is not exactly one pickle is an `ERR_DECODE`.
 */
import { IpcError } from '../errors.js';
import { HIGHEST_PICKLE_PROTOCOL, op, refusedOpcodes } from './pickle-opcodes.js';
import { checkPickleDepth } from './pickle-depth.js';

/** Options of {@link readPickle}. */
export interface PickleReadOptions {
  /** Decode `dict`s to `Map`s (any key) instead of plain objects (string keys). */
  dictsAsMaps: boolean;
  /** The most memo entries a stream may make. */
  maxMemo: number;
  /** The deepest nesting of containers a stream may build. */
  maxDepth: number;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function fail(message: string): never {
  throw new IpcError('ERR_DECODE', `pickle: ${message}`);
}

/** The value of the pickle in `source[start, end)`; it shares no memory with `source`. */
export function readPickle(
  source: Uint8Array,
  start: number,
  end: number,
  options: PickleReadOptions,
): unknown {
  const s = Buffer.isBuffer(source)
    ? source
    : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  const stop = Math.min(end, s.length);
  let p = start;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  // Tuples and frozensets decode to arrays and Sets: these say which ones cannot take more items.
  const immutable = new Set<object>();
  // Containers that were put into another container (nesting is checked at the end if any was).
  let nested = false;
  const { dictsAsMaps, maxMemo, maxDepth } = options;

  const need = (n: number): void => {
    if (n > stop - p) fail('the stream ends early (truncated)');
  };
  const u8 = (): number => {
    need(1);
    return s[p++] as number;
  };
  const u16 = (): number => {
    need(2);
    p += 2;
    return s.readUInt16LE(p - 2);
  };
  const u32 = (): number => {
    need(4);
    p += 4;
    return s.readUInt32LE(p - 4);
  };
  const u64 = (): number => {
    need(8);
    p += 8;
    const n = s.readBigUInt64LE(p - 8);
    if (n > BigInt(stop - p)) fail('the stream ends early (truncated)');
    return Number(n);
  };
  const line = (): string => {
    const nl = s.indexOf(0x0a, p);
    if (nl < 0 || nl >= stop) fail('the stream ends early (truncated)');
    const text = s.toString('latin1', p, nl);
    p = nl + 1;
    return text;
  };
  const pop = (): unknown => {
    if (stack.length <= (marks.length > 0 ? (marks[marks.length - 1] as number) : 0)) fail('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length <= (marks.length > 0 ? (marks[marks.length - 1] as number) : 0)) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const at = marks.pop();
    if (at === undefined) fail('no MARK before an opcode that needs one');
    return stack.splice(at);
  };
  const bytes = (n: number): Buffer => {
    need(n);
    const b = Buffer.allocUnsafe(n);
    s.copy(b, 0, p, p + n);
    p += n;
    return b;
  };
  const text = (n: number): string => {
    need(n);
    p += n;
    return s.toString('utf8', p - n, p);
  };
  const ascii = (n: number): string => {
    need(n);
    for (let i = p; i < p + n; i++) if ((s[i] as number) >= 0x80) fail('a Python 2 str that is not ASCII');
    p += n;
    return s.toString('latin1', p - n, p);
  };
  const isContainer = (v: unknown): boolean =>
    typeof v === 'object' && v !== null && !(v instanceof Uint8Array);
  const memoPut = (index: number): void => {
    const v = top();
    if (!memo.has(index) && memo.size >= maxMemo) fail(`more than ${maxMemo} memo entries`);
    memo.set(index, v);
  };
  const memoGet = (index: number): void => {
    if (!memo.has(index)) fail(`memo entry ${index} is missing`);
    stack.push(memo.get(index));
  };
  const list = (): unknown[] => {
    const target = top();
    if (!Array.isArray(target) || immutable.has(target)) fail('APPEND to something that is not a list');
    return target;
  };
  const setItem = (dict: unknown, key: unknown, value: unknown): void => {
    if (isContainer(value)) nested = true;
    if (dict instanceof Map) {
      if (isContainer(key)) nested = true;
      dict.set(key, value);
      return;
    }
    let name: string;
    if (typeof key === 'string') name = key;
    else if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean' || key === null)
      name = String(key);
    else fail('a dict key that is not a str, int, float, bool or None (decode with dictsAsMaps: true)');
    const o = dict as Record<string, unknown>;
    // An own data property, never the prototype (as JSON.parse does).
    if (name === '__proto__')
      Object.defineProperty(o, name, { value, writable: true, enumerable: true, configurable: true });
    else o[name] = value;
  };
  const dictTarget = (): object => {
    const target = top();
    const ok = dictsAsMaps
      ? target instanceof Map
      : typeof target === 'object' && target !== null && Object.getPrototypeOf(target) === Object.prototype;
    if (!ok) fail('SETITEM to something that is not a dict');
    return target as object;
  };
  const pushInt = (x: bigint): void => {
    stack.push(x >= -MAX_SAFE && x <= MAX_SAFE ? Number(x) : x);
  };
  const long = (n: number): void => {
    need(n);
    if (n === 0) stack.push(0);
    else if (n <= 6) {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + (s[p + i] as number);
      if ((s[p + n - 1] as number) & 0x80) v -= 2 ** (8 * n);
      stack.push(v);
    } else {
      const hex = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) hex[i] = s[p + n - 1 - i] as number;
      pushInt(BigInt.asIntN(8 * n, BigInt('0x' + hex.toString('hex'))));
    }
    p += n;
  };
  const textInt = (t: string): void => {
    if (!/^[+-]?\d+$/.test(t)) fail('a malformed INT or LONG');
    pushInt(BigInt(t));
  };

  for (;;) {
    const code = u8();
    switch (code) {
      case op.PROTO: {
        const v = u8();
        if (v > HIGHEST_PICKLE_PROTOCOL) fail(`unsupported protocol ${v}`);
        break;
      }
      case op.FRAME:
        u64(); // frames are a read-ahead hint; the bytes follow in line
        break;
      case op.STOP: {
        if (p !== stop) fail('bytes after STOP (a message is one pickle)');
        if (marks.length > 0 || stack.length !== 1) fail('STOP with a MARK open or not exactly one value');
        const result = stack[0];
        if (nested) checkPickleDepth(result, maxDepth);
        return result;
      }
      case op.NONE:
        stack.push(null);
        break;
      case op.NEWTRUE:
        stack.push(true);
        break;
      case op.NEWFALSE:
        stack.push(false);
        break;
      case op.BININT1:
        stack.push(u8());
        break;
      case op.BININT2:
        stack.push(u16());
        break;
      case op.BININT:
        need(4);
        stack.push(s.readInt32LE(p));
        p += 4;
        break;
      case op.LONG1:
        long(u8());
        break;
      case op.LONG4: {
        need(4);
        const n = s.readInt32LE(p);
        p += 4;
        if (n < 0) fail('LONG4 with a negative length');
        long(n);
        break;
      }
      case op.INT: {
        const t = line();
        if (t === '01') stack.push(true);
        else if (t === '00') stack.push(false);
        else textInt(t);
        break;
      }
      case op.LONG: {
        const t = line();
        textInt(t.endsWith('L') ? t.slice(0, -1) : t);
        break;
      }
      case op.BINFLOAT:
        need(8);
        stack.push(s.readDoubleBE(p));
        p += 8;
        break;
      case op.FLOAT: {
        const t = line().trim();
        if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) stack.push(Number(t));
        else if (/^[+-]?inf(inity)?$/i.test(t)) stack.push(t.startsWith('-') ? -Infinity : Infinity);
        else if (/^[+-]?nan$/i.test(t)) stack.push(NaN);
        else fail('a malformed FLOAT');
        break;
      }
      case op.SHORT_BINUNICODE:
        stack.push(text(u8()));
        break;
      case op.BINUNICODE:
        stack.push(text(u32()));
        break;
      case op.BINUNICODE8:
        stack.push(text(u64()));
        break;
      case op.SHORT_BINSTRING:
        stack.push(ascii(u8()));
        break;
      case op.BINSTRING: {
        need(4);
        const n = s.readInt32LE(p);
        p += 4;
        if (n < 0) fail('BINSTRING with a negative length');
        stack.push(ascii(n));
        break;
      }
      case op.SHORT_BINBYTES:
        stack.push(bytes(u8()));
        break;
      case op.BINBYTES:
        stack.push(bytes(u32()));
        break;
      case op.BINBYTES8:
      case op.BYTEARRAY8:
        stack.push(bytes(u64()));
        break;
      case op.EMPTY_LIST:
        stack.push([]);
        break;
      case op.EMPTY_TUPLE: {
        const t: unknown[] = [];
        immutable.add(t);
        stack.push(t);
        break;
      }
      case op.EMPTY_DICT:
        stack.push(dictsAsMaps ? new Map() : {});
        break;
      case op.EMPTY_SET:
        stack.push(new Set());
        break;
      case op.MARK:
        marks.push(stack.length);
        break;
      case op.POP_MARK:
        popMark();
        break;
      case op.POP:
        if (stack.length > 0 && (marks.length === 0 || stack.length > (marks[marks.length - 1] as number)))
          stack.pop();
        else if (marks.length > 0)
          marks.pop(); // Python's POP pops a MARK when the stack is empty above it
        else fail('stack underflow');
        break;
      case op.DUP:
        stack.push(top());
        break;
      case op.APPEND: {
        const item = pop();
        const target = list();
        if (isContainer(item)) nested = true;
        target.push(item);
        break;
      }
      case op.APPENDS: {
        const items = popMark();
        const target = list();
        for (const item of items) {
          if (isContainer(item)) nested = true;
          target.push(item);
        }
        break;
      }
      case op.LIST:
      case op.TUPLE: {
        const items = popMark();
        for (const item of items) if (isContainer(item)) nested = true;
        if (code === op.TUPLE) immutable.add(items);
        stack.push(items);
        break;
      }
      case op.TUPLE1:
      case op.TUPLE2:
      case op.TUPLE3: {
        const n = code - op.TUPLE1 + 1;
        const items: unknown[] = new Array<unknown>(n);
        for (let i = n - 1; i >= 0; i--) {
          const item = pop();
          if (isContainer(item)) nested = true;
          items[i] = item;
        }
        immutable.add(items);
        stack.push(items);
        break;
      }
      case op.DICT: {
        const items = popMark();
        if (items.length % 2 !== 0) fail('DICT with an odd number of items');
        const d = dictsAsMaps ? new Map() : {};
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case op.SETITEM: {
        const value = pop();
        const key = pop();
        setItem(dictTarget(), key, value);
        break;
      }
      case op.SETITEMS: {
        const items = popMark();
        if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
        const d = dictTarget();
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1]);
        break;
      }
      case op.ADDITEMS: {
        const items = popMark();
        const target = top();
        if (!(target instanceof Set) || immutable.has(target))
          fail('ADDITEMS to something that is not a set');
        for (const item of items) {
          if (isContainer(item)) nested = true;
          target.add(item);
        }
        break;
      }
      case op.FROZENSET: {
        const items = popMark();
        for (const item of items) if (isContainer(item)) nested = true;
        const f = new Set(items);
        immutable.add(f);
        stack.push(f);
        break;
      }
      case op.BINPUT:
        memoPut(u8());
        break;
      case op.LONG_BINPUT:
        memoPut(u32());
        break;
      case op.PUT: {
        const t = line();
        if (!/^\d{1,10}$/.test(t)) fail('a malformed PUT');
        memoPut(Number(t));
        break;
      }
      case op.MEMOIZE:
        memoPut(memo.size);
        break;
      case op.BINGET:
        memoGet(u8());
        break;
      case op.LONG_BINGET:
        memoGet(u32());
        break;
      case op.GET: {
        const t = line();
        if (!/^\d{1,10}$/.test(t)) fail('a malformed GET');
        memoGet(Number(t));
        break;
      }
      default: {
        const refused = refusedOpcodes.get(code);
        if (refused !== undefined) {
          fail(`refused opcode ${refused}: it names a class or calls something, which this codec never does`);
        }
        fail(`unknown or unsupported opcode 0x${code.toString(16).padStart(2, '0')}`);
      }
    }
  }
}

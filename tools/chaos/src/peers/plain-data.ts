/** Prototypes of the values a decoded message may hold besides primitives, plain objects and arrays. */
const allowedProtos = new Set<unknown>([
  Object.prototype,
  null,
  Array.prototype,
  Date.prototype,
  Map.prototype,
  Set.prototype,
  Uint8Array.prototype,
  Buffer.prototype,
  ArrayBuffer.prototype,
]);

/** Extra prototypes the structured-clone codec may produce (it is v8's serializer: these are its data types). */
export const structuredProtos: readonly unknown[] = [
  RegExp.prototype,
  Error.prototype,
  EvalError.prototype,
  RangeError.prototype,
  ReferenceError.prototype,
  SyntaxError.prototype,
  TypeError.prototype,
  URIError.prototype,
  DataView.prototype,
  Int8Array.prototype,
  Uint8ClampedArray.prototype,
  Int16Array.prototype,
  Uint16Array.prototype,
  Int32Array.prototype,
  Uint32Array.prototype,
  Float32Array.prototype,
  Float64Array.prototype,
  BigInt64Array.prototype,
  BigUint64Array.prototype,
  Number.prototype,
  String.prototype,
  Boolean.prototype,
  BigInt.prototype,
  SharedArrayBuffer.prototype,
];

/**
 * Why `value` is not plain data (a function, a class instance, an object some earlier decode returned
 * too), or undefined when it is. `seen` collects every object returned so far, across calls.
 */
export function notPlain(
  value: unknown,
  seen: WeakSet<object>,
  extra: readonly unknown[] = [],
  depth = 0,
): string | undefined {
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > 200) return 'nesting deeper than 200';
  if (seen.has(value)) return 'an object another decode returned too (a shared internal)';
  seen.add(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (!allowedProtos.has(proto) && !extra.includes(proto)) {
    const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'unknown';
    return `an instance of ${name}`;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date) return undefined;
  if (value instanceof Error || value instanceof RegExp) return undefined;
  const children: unknown[] =
    value instanceof Map
      ? [...value.keys(), ...value.values()]
      : value instanceof Set
        ? [...value]
        : Reflect.ownKeys(value).map((k) => {
            const d = Object.getOwnPropertyDescriptor(value, k);
            return d?.get !== undefined || d?.set !== undefined ? () => undefined : (d?.value as unknown);
          });
  for (const child of children) {
    const why = notPlain(child, seen, extra, depth + 1);
    if (why !== undefined) return why;
  }
  return undefined;
}

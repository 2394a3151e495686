// Type tests shared by the built-ins. Resolver code runs in its own V8 context, so values it passes in carry that
// context's prototypes: checks here must not depend on `instanceof` or on `Object.prototype` identity.

export type JsonMap = Record<string, unknown>;

/**
 * Sets `key` as an own data property whatever its name: `out[key] = v` with a key of `__proto__` would replace the
 * object's prototype and lose the entry, so maps built from client or resolver data are filled through this.
 */
export function setOwn(out: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
}

export function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Object]';
}

export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

export function isNull(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function isNullOrEmpty(value: unknown): boolean {
  return isNull(value) || value === '';
}

export function isNullOrBlank(value: unknown): boolean {
  return isNull(value) || (typeof value === 'string' && value.trim() === '');
}

/** `util.typeOf`: AppSync's names for the JSON types; anything else is 'Object'. */
export function typeOf(value: unknown): string {
  if (isNull(value)) return 'Null';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (isList(value)) return 'List';
  if (isMap(value)) return 'Map';
  return 'Object';
}

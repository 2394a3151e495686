// Maps keyed by client strings (attribute names, table names, placeholders) are plain objects, because that is
// what JSON.parse gives and what goes back on the wire. A plain object inherits Object.prototype: reading
// `item.constructor` finds a function the client never sent, and assigning `out.__proto__ = v` replaces the
// object's prototype instead of storing an attribute (a write acknowledged and lost). Every read and write of
// such a map by a client-chosen key goes through these two functions.

/** The map's own member `key`, never an inherited one. */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Stores `value` as the map's own member `key`, `__proto__` included. */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

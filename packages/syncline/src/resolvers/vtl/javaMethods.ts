// The Java methods AppSync's VTL offers on template values. AppSync runs Velocity on the JVM, so a JSON string is a
// java.lang.String, a list a java.util.List and a map a java.util.Map; templates call their methods
// (`$list.add(1)`, `$map.put("k", v)`, `$s.toUpperCase()`, `$m.keySet()`). Syncline keeps values as JSON and
// answers those calls from this table. It is a closed list: a method that is not in it fails the template instead
// of reaching a JavaScript method of the same name (`constructor`, `__proto__`, `getClass` all fail).
import { compileJavaRegex } from '../utils/javaRegex.js';
import { isList, isMap, type JsonMap, setOwn } from '../utils/values.js';

type Method = (self: any, args: unknown[]) => unknown;

const has = (o: object, k: string) => Object.hasOwn(o, k);
const num = (v: unknown, name: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${name} expects an integer index`);
  return v;
};

/** Java's equals on JSON values: same type and same content. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isList(a) && isList(b)) return a.length === b.length && a.every((v, i) => javaEquals(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => has(b, k) && javaEquals(a[k], b[k]));
  }
  return false;
}

const common: Record<string, Method> = {
  equals: (self, [other]) => javaEquals(self, other),
  hashCode: (self) => {
    let h = 0;
    for (const c of String(JSON.stringify(self))) h = (h * 31 + c.charCodeAt(0)) | 0;
    return h;
  },
};

/** A Java regex found anywhere in a string (compileJavaRegex anchors it for whole-string matches). */
function search(builtin: string, pattern: unknown, subject: string, global: boolean): RegExp {
  const whole = compileJavaRegex(builtin, String(pattern), subject);
  return new RegExp(whole.source.slice(1, -1), whole.flags + (global ? 'g' : ''));
}

/** Java's String.split: a regex, trailing empty strings dropped when no limit is given. */
function split(self: string, regex: unknown, limit?: unknown): string[] {
  const max = typeof limit === 'number' ? limit : 0;
  const parts: string[] = [];
  let last = 0;
  const global = search('String.split', regex, self, true);
  for (let m = global.exec(self); m; m = global.exec(self)) {
    if (m[0] === '' && m.index === 0) {
      global.lastIndex++;
      continue;
    }
    if (max > 0 && parts.length === max - 1) break;
    parts.push(self.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '') global.lastIndex++;
  }
  parts.push(self.slice(last));
  if (max === 0) while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const stringMethods: Record<string, Method> = {
  ...common,
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  isBlank: (s) => s.trim().length === 0,
  contains: (s, [x]) => s.includes(String(x)),
  startsWith: (s, [x, from]) => s.startsWith(String(x), typeof from === 'number' ? from : 0),
  endsWith: (s, [x]) => s.endsWith(String(x)),
  equalsIgnoreCase: (s, [x]) => typeof x === 'string' && s.toLowerCase() === x.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  toLowerCase: (s) => s.toLowerCase(),
  trim: (s) => s.trim(),
  strip: (s) => s.trim(),
  substring: (s, [b, e]) => s.substring(num(b, 'substring'), e === undefined ? s.length : num(e, 'substring')),
  charAt: (s, [i]) => s.charAt(num(i, 'charAt')),
  indexOf: (s, [x, from]) => s.indexOf(String(x), typeof from === 'number' ? from : 0),
  lastIndexOf: (s, [x]) => s.lastIndexOf(String(x)),
  replace: (s, [a, b]) => s.split(String(a)).join(String(b)),
  replaceAll: (s, [re, by]) => s.replace(search('String.replaceAll', re, s, true), String(by)),
  replaceFirst: (s, [re, by]) => s.replace(search('String.replaceFirst', re, s, false), String(by)),
  matches: (s, [re]) => compileJavaRegex('String.matches', String(re), s).test(s),
  split: (s, [re, limit]) => split(s, re, limit),
  concat: (s, [x]) => s + String(x),
  compareTo: (s, [x]) => (s < String(x) ? -1 : s > String(x) ? 1 : 0),
  toString: (s: string) => s,
  toCharArray: (s) => [...s],
};

const numberMethods: Record<string, Method> = {
  ...common,
  intValue: (n) => Math.trunc(n),
  longValue: (n) => Math.trunc(n),
  doubleValue: (n) => n,
  floatValue: (n) => n,
  toString: (n: number) => String(n),
  compareTo: (n, [x]) => (n < (x as number) ? -1 : n > (x as number) ? 1 : 0),
};

const booleanMethods: Record<string, Method> = {
  ...common,
  booleanValue: (b) => b,
  toString: (b: boolean) => String(b),
};

const listMethods: Record<string, Method> = {
  ...common,
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  contains: (l, [x]) => l.some((v: unknown) => javaEquals(v, x)),
  containsAll: (l, [xs]) => isList(xs) && xs.every((x) => l.some((v: unknown) => javaEquals(v, x))),
  get: (l, [i]) => l[num(i, 'get')] ?? null,
  set: (l, [i, v]) => {
    const at = num(i, 'set');
    const old = l[at];
    l[at] = v;
    return old ?? null;
  },
  add: (l, args) => {
    if (args.length >= 2) l.splice(num(args[0], 'add'), 0, args[1]);
    else l.push(args[0]);
    return true;
  },
  addAll: (l, [xs]) => {
    if (isList(xs)) for (const x of xs) l.push(x);
    return true;
  },
  remove: (l, [x]) => {
    if (typeof x === 'number' && Number.isInteger(x)) return l.splice(x, 1)[0] ?? null;
    const at = l.findIndex((v: unknown) => javaEquals(v, x));
    if (at >= 0) l.splice(at, 1);
    return at >= 0;
  },
  removeAll: (l, [xs]) => {
    const before = l.length;
    for (let i = l.length - 1; i >= 0; i--) if (isList(xs) && xs.some((x) => javaEquals(l[i], x))) l.splice(i, 1);
    return l.length !== before;
  },
  retainAll: (l, [xs]) => {
    const before = l.length;
    for (let i = l.length - 1; i >= 0; i--) if (!isList(xs) || !xs.some((x) => javaEquals(l[i], x))) l.splice(i, 1);
    return l.length !== before;
  },
  indexOf: (l, [x]) => l.findIndex((v: unknown) => javaEquals(v, x)),
  lastIndexOf: (l, [x]) => {
    for (let i = l.length - 1; i >= 0; i--) if (javaEquals(l[i], x)) return i;
    return -1;
  },
  clear: (l) => {
    l.length = 0;
  },
  subList: (l, [b, e]) => l.slice(num(b, 'subList'), num(e, 'subList')),
  toString: (l: unknown[]) => `[${l.map(String).join(', ')}]`,
};

function entry(key: string, value: unknown) {
  return { key, value };
}

const mapMethods: Record<string, Method> = {
  ...common,
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  containsKey: (m, [k]) => has(m, String(k)),
  containsValue: (m, [v]) => Object.values(m).some((x) => javaEquals(x, v)),
  get: (m, [k]) => (has(m, String(k)) ? m[String(k)] : null),
  getOrDefault: (m, [k, d]) => (has(m, String(k)) ? m[String(k)] : d),
  put: (m, [k, v]) => {
    const key = String(k);
    const old = has(m, key) ? m[key] : null;
    setOwn(m, key, v);
    return old;
  },
  putAll: (m, [other]) => {
    if (isMap(other)) for (const k of Object.keys(other)) setOwn(m, k, other[k]);
  },
  putIfAbsent: (m, [k, v]) => {
    const key = String(k);
    if (has(m, key) && m[key] !== null) return m[key];
    setOwn(m, key, v);
    return null;
  },
  remove: (m, [k]) => {
    const key = String(k);
    const old = has(m, key) ? m[key] : null;
    delete m[key];
    return old;
  },
  keySet: (m) => Object.keys(m),
  values: (m) => Object.values(m),
  entrySet: (m) => Object.keys(m).map((k) => entry(k, m[k])),
  clear: (m) => {
    for (const k of Object.keys(m)) delete m[k];
  },
  // Map.Entry, as keySet/entrySet hand them out.
  getKey: (m) => m.key,
  getValue: (m) => m.value,
};

function table(self: unknown): [Record<string, Method>, string] | undefined {
  if (typeof self === 'string') return [stringMethods, 'String'];
  if (typeof self === 'number') return [numberMethods, 'Number'];
  if (typeof self === 'boolean') return [booleanMethods, 'Boolean'];
  if (isList(self)) return [listMethods, 'List'];
  if (isMap(self)) return [mapMethods, 'Map'];
  return undefined;
}

/** `$self.name(args)` on a template value; undefined `found` when the value's type has no such method. */
export function callJavaMethod(self: unknown, name: string, args: unknown[]): { found: boolean; value?: unknown } {
  const [methods] = table(self) ?? [];
  if (!methods || !has(methods, name)) return { found: false };
  return { found: true, value: methods[name](self, args) };
}

export function javaTypeName(self: unknown): string {
  return table(self)?.[1] ?? (self === null || self === undefined ? 'null' : 'Object');
}

export type { JsonMap };

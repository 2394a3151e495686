// `$util` / `$utils` of VTL templates: the APPSYNC_JS `util` the realm already made (resolvers/utils), with the
// VTL-only members on top. Where AppSync's VTL and JS helpers behave alike they are the same function; the VTL
// additions are the ones JS has no counterpart for (`qr`, `quiet`, `toJson`, `parseJson`, `validate`, `list`,
// `map`, the `...Json` variants of `dynamodb`).
import { javaEquals } from './javaMethods.js';

type Fn = (...args: any[]) => any;
type Namespace = Record<string, unknown>;

/** Thrown for a template's misuse of a helper; engine.ts turns it into a `MappingTemplate` error. */
export class TemplateProblem {
  constructor(readonly message: string) {}
}

function sortKey(value: unknown): string {
  return typeof value;
}

function sortList(list: unknown, descending: unknown, property: unknown): unknown {
  if (!Array.isArray(list)) throw new TemplateProblem('$util.list.sortList expects a list');
  if (list.length > 1000) throw new TemplateProblem('$util.list.sortList supports lists of at most 1000 elements');
  const byProperty = list.length > 0 && list.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  const keyOf = (v: unknown) => (byProperty ? (v as Namespace)[String(property)] : v);
  const keys = list.map(keyOf);
  // AppSync returns the list unchanged when its elements are not all of one comparable kind.
  const kind = keys.length ? sortKey(keys[0]) : 'string';
  if (!keys.every((k) => sortKey(k) === kind && (kind === 'string' || kind === 'number'))) return [...list];
  const sign = descending === true ? -1 : 1;
  return list
    .map((v, i) => [keys[i] as string | number, v] as const)
    .sort((a, b) => (a[0] < b[0] ? -sign : a[0] > b[0] ? sign : 0))
    .map(([, v]) => v);
}

const inList = (xs: unknown, v: unknown) => Array.isArray(xs) && xs.some((x) => javaEquals(x, v));

export function createVtlUtil(js: Namespace, log: (...args: unknown[]) => void): Namespace {
  const error = js.error as Fn;
  const dynamodb: Namespace = {};
  for (const [name, fn] of Object.entries(js.dynamodb as Namespace)) {
    dynamodb[name] = fn;
    // AppSync's VTL has a `...Json` twin of each converter, answering the same value as a JSON string.
    if (name !== 'fromS3ObjectJson')
      dynamodb[`${name}Json`] = (...args: unknown[]) => JSON.stringify((fn as Fn)(...args));
  }
  dynamodb.toDynamoDBJson = (value: unknown) =>
    JSON.stringify((js.dynamodb as Namespace & { toDynamoDB: Fn }).toDynamoDB(value));

  return {
    ...js,
    qr: () => '',
    quiet: () => '',
    toJson: (value: unknown) => JSON.stringify(value === undefined ? null : value),
    parseJson: (text: unknown) => {
      if (typeof text !== 'string') throw new TemplateProblem('$util.parseJson expects a string');
      // The realm's JSON.parse answers '' for invalid JSON (APPSYNC_JS's rule); VTL's parseJson fails instead.
      const value = JSON.parse(text);
      if (value === '' && text.trim() !== '""')
        throw new TemplateProblem(`Unable to parse the JSON document: ${text.slice(0, 100)}`);
      return value;
    },
    validate: (condition: unknown, message: unknown, errorType?: unknown, data?: unknown) => {
      if (condition !== true) error(message, errorType ?? 'CustomTemplateException', data);
      return '';
    },
    list: {
      copyAndRetainAll: (list: unknown, keep: unknown) =>
        Array.isArray(list) ? list.filter((v) => inList(keep, v)) : [],
      copyAndRemoveAll: (list: unknown, drop: unknown) =>
        Array.isArray(list) ? list.filter((v) => !inList(drop, v)) : [],
      sortList,
    },
    map: {
      copyAndRetainAllKeys: (map: unknown, keys: unknown) => copyKeys(map, (k) => inList(keys, k)),
      copyAndRemoveAllKeys: (map: unknown, keys: unknown) => copyKeys(map, (k) => !inList(keys, k)),
    },
    dynamodb,
    log: { info: (...args: unknown[]) => log(...args), error: (...args: unknown[]) => log('ERROR', ...args) },
  };
}

function copyKeys(map: unknown, keep: (key: string) => boolean): Namespace {
  const out: Namespace = {};
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return out;
  for (const [k, v] of Object.entries(map)) {
    if (keep(k)) Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

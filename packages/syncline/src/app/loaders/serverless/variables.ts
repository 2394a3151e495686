// Serverless Framework variables (`${self:…}`, `${opt:stage}`, `${env:X, 'default'}`, `${file(./x.yml):key}`…),
// resolved the way the Framework resolves them, with local values for what would ask AWS (`${aws:accountId}`)
// and a precise refusal, naming how to give the value, for remote lookups (`${ssm:}`, `${cf:}`, `${s3:}`).
// `${…}` that is not a Serverless variable (`${AWS::Region}`, `${Table.Arn}` inside Fn::Sub) is left as written.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { KeyPath } from '../yaml.js';
import { parseYamlDefinition } from '../yaml.js';

export class VariableError extends Error {
  constructor(
    readonly path: KeyPath,
    message: string,
  ) {
    super(message);
    this.name = 'VariableError';
  }
}

export interface VariableSources {
  /** The service folder: `${file()}` paths are relative to it. */
  dir: string;
  options: { stage?: string; region?: string; params: Record<string, string> };
  env: NodeJS.ProcessEnv;
  accountId: string;
  /** `${appsync:…}`: the API's local values. */
  appsync(address: string): string | undefined;
}

/** A source name followed by `:` (not `::`, which is CloudFormation's `AWS::Region`) or `(`. */
const VARIABLE_START = /^\s*([a-zA-Z][a-zA-Z0-9]*)(\(|:(?!:))/;
const REMOTE = new Set(['ssm', 'cf', 's3']);
const UNRESOLVED = Symbol('unresolved');

export function resolveVariables(root: Record<string, unknown>, sources: VariableSources): Record<string, unknown> {
  const resolving = new Set<string>();
  const done = new Map<string, unknown>();
  const instanceId = randomBytes(4).toString('hex');

  const stage = (): string => {
    if (sources.options.stage) return sources.options.stage;
    // Through self(), so a stage that refers back to the stage (`${param:…}` of a stage's params) is a loop
    // reported as one, not a stack overflow.
    const p = self(['provider', 'stage'], ['provider', 'stage']);
    return p === undefined || p === null ? 'dev' : String(p);
  };

  function value(v: unknown, path: KeyPath): unknown {
    if (typeof v === 'string') return string(v, path);
    if (Array.isArray(v)) return v.map((x, i) => value(x, [...path, i]));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = value(x, [...path, k]);
      return out;
    }
    return v;
  }

  /** Resolves every variable in `s`; a string that is one variable takes that variable's value and type. */
  function string(s: string, path: KeyPath): unknown {
    if (!s.includes('${')) return s;
    let out = '';
    let i = 0;
    while (i < s.length) {
      const start = s.indexOf('${', i);
      if (start < 0) break;
      const end = matchingBrace(s, start + 2);
      if (end < 0) break;
      const body = s.slice(start + 2, end);
      if (!VARIABLE_START.test(body)) {
        // Not ours (CloudFormation's `${AWS::Region}`); nested variables inside it are still resolved.
        out += s.slice(i, start + 2) + String(string(body, path)) + '}';
        i = end + 1;
        continue;
      }
      out += s.slice(i, start);
      const resolved = expression(body, path);
      if (start === 0 && end === s.length - 1) return resolved;
      out += typeof resolved === 'object' ? JSON.stringify(resolved) : String(resolved);
      i = end + 1;
    }
    return out + s.slice(i);
  }

  /** `a, b, 'literal'`: the first that resolves to something. */
  function expression(body: string, path: KeyPath): unknown {
    const candidates = splitTopLevel(body);
    const remote: string[] = [];
    for (const candidate of candidates) {
      const trimmed = candidate.trim();
      // A whole nested variable as a fallback (`${opt:stage, ${self:provider.stage}}`) gives its value as it is;
      // nested variables inside an address (`${self:custom.${sls:stage}.table}`) are resolved first.
      if (trimmed.startsWith('${') && matchingBrace(trimmed, 2) === trimmed.length - 1) {
        const nested = string(trimmed, path);
        if (nested !== undefined && nested !== null) return nested;
        continue;
      }
      const c = trimmed.includes('${') ? String(string(trimmed, path)) : trimmed;
      const literal = /^(['"])(.*)\1$/s.exec(c);
      if (literal) return literal[2];
      if (/^-?\d+(\.\d+)?$/.test(c)) return Number(c);
      if (c === 'true' || c === 'false') return c === 'true';
      if (c === 'null') continue;
      const r = single(c, path);
      if (r === UNRESOLVED) {
        remote.push(c);
        continue;
      }
      if (r !== undefined && r !== null) return r;
    }
    if (remote.length) {
      throw new VariableError(
        path,
        `\${${body}}: ${remote[0].split(':')[0]} lookups need AWS and are not made locally; give the value another way, e.g. \${param:name} with --param name=value, or \${env:NAME}, as a fallback: \${${remote[0]}, env:NAME}`,
      );
    }
    throw new VariableError(path, `\${${body}}: no value (and no fallback that has one)`);
  }

  function single(c: string, path: KeyPath): unknown {
    const m = /^([a-zA-Z][a-zA-Z0-9]*)(?:\(([^)]*)\))?(?::(.*))?$/s.exec(c);
    if (!m) throw new VariableError(path, `\${${c}}: not a variable`);
    const [, source, arg, rawAddress] = m;
    const address = rawAddress?.trim() ?? '';
    switch (source) {
      case 'self':
        return self(address ? address.split('.') : [], path);
      case 'opt':
        if (address === 'stage') return sources.options.stage;
        if (address === 'region') return sources.options.region;
        return sources.options.params[address];
      case 'sls':
        if (address === 'stage') return stage();
        if (address === 'instanceId') return instanceId;
        throw new VariableError(path, `\${sls:${address}}: known are \${sls:stage} and \${sls:instanceId}`);
      case 'env':
        return sources.env[address];
      case 'param': {
        if (Object.hasOwn(sources.options.params, address)) return sources.options.params[address];
        const params = lookup(root, ['params']) as Record<string, Record<string, unknown>> | undefined;
        const s = stage();
        const raw = params?.[s]?.[address] ?? params?.default?.[address];
        return raw === undefined
          ? undefined
          : value(raw, ['params', params?.[s]?.[address] !== undefined ? s : 'default', address]);
      }
      case 'aws':
        if (address === 'accountId') return sources.accountId;
        if (address === 'region') return sources.options.region ?? regionOf();
        if (address.startsWith('ssm:')) return UNRESOLVED;
        throw new VariableError(path, `\${aws:${address}}: known are \${aws:accountId} and \${aws:region}`);
      case 'file':
        return file(arg ?? '', address, path);
      case 'strToBool':
        return /^(true|1)$/i.test(String(arg ?? '').trim());
      case 'appsync': {
        let r: string | undefined;
        try {
          r = sources.appsync(address);
        } catch (error) {
          if (error instanceof VariableError) throw new VariableError(path, error.message);
          throw error;
        }
        if (r === undefined) {
          throw new VariableError(path, `\${appsync:${address}}: known are url, id, arn and apiKey.<name>`);
        }
        return r;
      }
      default:
        if (REMOTE.has(source)) return UNRESOLVED;
        throw new VariableError(path, `\${${c}}: unknown variable source "${source}"`);
    }
  }

  /** A key of the service, resolved; variables met on the way down (`custom: ${file(…)}`) are resolved first. */
  function self(keys: string[], path: KeyPath): unknown {
    const key = keys.join('.');
    if (done.has(key)) return done.get(key);
    if (resolving.has(key)) throw new VariableError(path, `\${self:${key}} refers to itself`);
    let raw: unknown = root;
    for (let i = 0; i < keys.length; i++) {
      if (typeof raw === 'string' && raw.includes('${')) raw = self(keys.slice(0, i), path);
      if (typeof raw !== 'object' || raw === null) return undefined;
      raw = (raw as Record<string, unknown>)[keys[i]];
    }
    if (raw === undefined) return undefined;
    resolving.add(key);
    try {
      const r = value(raw, keys);
      done.set(key, r);
      return r;
    } finally {
      resolving.delete(key);
    }
  }

  function regionOf(): string {
    const r = self(['provider', 'region'], ['provider', 'region']);
    return r === undefined || r === null ? 'us-east-1' : String(r);
  }

  function file(relative: string, address: string, path: KeyPath): unknown {
    const target = resolve(sources.dir, relative.trim().replace(/^['"]|['"]$/g, ''));
    if (!existsSync(target)) return undefined;
    const ext = extname(target);
    if (!['.yml', '.yaml', '.json'].includes(ext)) {
      throw new VariableError(
        path,
        `\${file(${relative})}: Syncline reads YAML and JSON files here; a ${ext} file's exports are not evaluated`,
      );
    }
    const text = readFileSync(target, 'utf8');
    const doc = parseYamlDefinition(target, text).value as Record<string, unknown>;
    // Variables in an included file resolve against the including service, relative to the included file.
    const nested = resolveVariables(doc ?? {}, { ...sources, dir: dirname(target) });
    return address ? lookup(nested, address.split('.')) : nested;
  }

  return value(root, []) as Record<string, unknown>;
}

function lookup(root: unknown, keys: string[]): unknown {
  let v = root;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Splits `a, b('x,y'), 'c,d'` on the commas outside quotes and parentheses. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(last, i));
      last = i + 1;
    }
  }
  out.push(s.slice(last));
  return out;
}

// CloudFormation intrinsic functions, evaluated to local values: `Ref` of a table is its name, `Fn::GetAtt` of a
// table's StreamArn is a reference the functions runtime fills in once the stream exists, the GraphQL API's
// GraphQLUrl is this server's URL. Shared by the serverless.yml and the CloudFormation/SAM loaders; what a
// reference means (which resources exist, what they resolve to) is the loader's `scope`.
import type { KeyPath } from './yaml.js';

/** A reference that cannot be resolved locally, or an ill-formed function; `path` is where it was written. */
export class IntrinsicError extends Error {
  constructor(
    readonly path: KeyPath,
    message: string,
  ) {
    super(message);
    this.name = 'IntrinsicError';
  }
}

export interface IntrinsicScope {
  region: string;
  accountId: string;
  stackName: string;
  /** Template parameters with their values (defaults overridden by `--param`). */
  parameters: Record<string, unknown>;
  /** The template's `Conditions` as written. */
  conditions: Record<string, unknown>;
  mappings: Record<string, unknown>;
  /** `Fn::ImportValue` names given with `--param`. */
  imports: Record<string, string>;
  /** Another loaded stack's export (a stack of the same cloud assembly); undefined when none exports the name. */
  importValue?(exportName: string, path: KeyPath): unknown;
  /** What `Ref` of a resource gives locally; throws IntrinsicError when it has no local meaning. */
  ref(logicalId: string, path: KeyPath): string;
  /** What `Fn::GetAtt` gives locally; throws IntrinsicError when it has no local meaning. */
  getAtt(logicalId: string, attribute: string, path: KeyPath): unknown;
}

/** `AWS::NoValue`: the property is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const FUNCTION_KEYS = new Set([
  'Ref',
  'Condition',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::GetAZs',
  'Fn::Cidr',
  'Fn::Transform',
  'Fn::ToJsonString',
  'Fn::Length',
]);

/** `{ Ref: … }` or `{ 'Fn::…': … }`: an object whose one key names an intrinsic function. */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && FUNCTION_KEYS.has(keys[0]) && keys[0] !== 'Condition';
}

export function evaluate(value: unknown, scope: IntrinsicScope, path: KeyPath): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => evaluate(v, scope, [...path, i])).filter((v) => v !== NO_VALUE);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (isIntrinsic(value)) {
    const [name, arg] = Object.entries(value)[0];
    return call(name, arg, scope, [...path, name]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = evaluate(v, scope, [...path, k]);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

/** Evaluates and insists on a string (numbers are written as CloudFormation writes them). */
export function evaluateString(value: unknown, scope: IntrinsicScope, path: KeyPath): string {
  const r = evaluate(value, scope, path);
  if (typeof r === 'string') return r;
  if (typeof r === 'number' || typeof r === 'boolean') return String(r);
  throw new IntrinsicError(path, `expected a string, got ${describe(r)}`);
}

const PSEUDO = (scope: IntrinsicScope): Record<string, string> => ({
  'AWS::Region': scope.region,
  'AWS::AccountId': scope.accountId,
  'AWS::StackName': scope.stackName,
  'AWS::StackId': `arn:aws:cloudformation:${scope.region}:${scope.accountId}:stack/${scope.stackName}/00000000-0000-0000-0000-000000000000`,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
});

function ref(name: string, scope: IntrinsicScope, path: KeyPath): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name === 'AWS::NotificationARNs') return [];
  const pseudo = PSEUDO(scope)[name];
  if (pseudo !== undefined) return pseudo;
  if (Object.hasOwn(scope.parameters, name)) return scope.parameters[name];
  return scope.ref(name, path);
}

function call(name: string, arg: unknown, scope: IntrinsicScope, path: KeyPath): unknown {
  const list = (n: number) => {
    if (!Array.isArray(arg) || arg.length !== n) throw new IntrinsicError(path, `${name} takes a list of ${n} values`);
    return arg;
  };
  switch (name) {
    case 'Ref': {
      const target = evaluate(arg, scope, path);
      if (typeof target !== 'string') throw new IntrinsicError(path, 'Ref takes a logical ID or parameter name');
      return ref(target, scope, path);
    }
    case 'Fn::GetAtt': {
      const parts = typeof arg === 'string' ? splitOnce(arg) : (evaluate(arg, scope, path) as unknown[]);
      if (!Array.isArray(parts) || parts.length !== 2 || parts.some((p) => typeof p !== 'string')) {
        throw new IntrinsicError(path, 'Fn::GetAtt takes [LogicalId, Attribute] or "LogicalId.Attribute"');
      }
      return scope.getAtt(parts[0] as string, parts[1] as string, path);
    }
    case 'Fn::Sub': {
      const [template, vars] =
        typeof arg === 'string' ? [arg, {}] : (list(2) as [unknown, Record<string, unknown> | undefined]);
      if (typeof template !== 'string') throw new IntrinsicError(path, 'Fn::Sub takes a string template');
      const values = evaluate(vars ?? {}, scope, [...path, 1]) as Record<string, unknown>;
      return template.replace(/\$\{(!?)([^}]*)\}/g, (_m, bang: string, body: string) => {
        if (bang) return `\${${body}}`;
        const key = body.trim();
        if (Object.hasOwn(values, key)) return String(values[key]);
        const dot = key.indexOf('.');
        if (dot > 0 && !key.startsWith('AWS::'))
          return String(scope.getAtt(key.slice(0, dot), key.slice(dot + 1), path));
        const r = ref(key, scope, path);
        if (r === NO_VALUE) return '';
        return Array.isArray(r) ? r.join(',') : String(r);
      });
    }
    case 'Fn::Join': {
      const [delimiter, items] = list(2);
      const values = evaluate(items, scope, [...path, 1]);
      if (typeof delimiter !== 'string' || !Array.isArray(values)) {
        throw new IntrinsicError(path, 'Fn::Join takes [delimiter, [values]]');
      }
      return values
        .map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : describe(v)))
        .join(delimiter);
    }
    case 'Fn::Select': {
      const [index, items] = list(2);
      const i = Number(evaluate(index, scope, [...path, 0]));
      const values = evaluate(items, scope, [...path, 1]);
      if (!Array.isArray(values) || !Number.isInteger(i) || i < 0 || i >= values.length) {
        throw new IntrinsicError(path, 'Fn::Select index is outside the list');
      }
      return values[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = list(2);
      const s = evaluate(source, scope, [...path, 1]);
      if (typeof delimiter !== 'string' || typeof s !== 'string') {
        throw new IntrinsicError(path, 'Fn::Split takes [delimiter, string]');
      }
      return s.split(delimiter);
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = list(3);
      if (typeof condition !== 'string') throw new IntrinsicError(path, 'Fn::If takes [ConditionName, then, else]');
      return conditionValue(condition, scope, path)
        ? evaluate(whenTrue, scope, [...path, 1])
        : evaluate(whenFalse, scope, [...path, 2]);
    }
    case 'Fn::Equals': {
      const [a, b] = list(2).map((v, i) => evaluate(v, scope, [...path, i]));
      return String(a) === String(b);
    }
    case 'Fn::Not':
      return !truth(list(1)[0], scope, [...path, 0]);
    case 'Fn::And':
      return (arg as unknown[]).every((c, i) => truth(c, scope, [...path, i]));
    case 'Fn::Or':
      return (arg as unknown[]).some((c, i) => truth(c, scope, [...path, i]));
    case 'Fn::ImportValue': {
      const exportName = evaluate(arg, scope, path);
      if (typeof exportName === 'string' && Object.hasOwn(scope.imports, exportName)) return scope.imports[exportName];
      const exported = typeof exportName === 'string' ? scope.importValue?.(exportName, path) : undefined;
      if (exported !== undefined) return exported;
      throw new IntrinsicError(
        path,
        `Fn::ImportValue ${String(exportName)}: no stack loaded with this one exports it; give its value with --param ${String(exportName)}=value`,
      );
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = list(3).map((v, i) => evaluate(v, scope, [...path, i]));
      const value = (scope.mappings as Record<string, Record<string, Record<string, unknown>>>)[String(map)]?.[
        String(top)
      ]?.[String(second)];
      if (value === undefined) throw new IntrinsicError(path, `Fn::FindInMap: no ${map}.${top}.${second} in Mappings`);
      return value;
    }
    case 'Fn::Base64':
      return Buffer.from(String(evaluate(arg, scope, path))).toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((z) => `${scope.region}${z}`);
    case 'Fn::ToJsonString':
      return JSON.stringify(evaluate(arg, scope, path));
    case 'Fn::Length': {
      const values = evaluate(arg, scope, path);
      return Array.isArray(values) ? values.length : 0;
    }
    default:
      throw new IntrinsicError(path, `${name} is not evaluated by Syncline`);
  }
}

function truth(value: unknown, scope: IntrinsicScope, path: KeyPath): boolean {
  if (typeof value === 'object' && value !== null && 'Condition' in value) {
    return conditionValue(String((value as { Condition: unknown }).Condition), scope, path);
  }
  return evaluate(value, scope, path) === true;
}

function conditionValue(name: string, scope: IntrinsicScope, path: KeyPath, seen = new Set<string>()): boolean {
  if (!Object.hasOwn(scope.conditions, name)) throw new IntrinsicError(path, `no condition ${name} under Conditions`);
  if (seen.has(name)) throw new IntrinsicError(path, `condition ${name} refers to itself`);
  seen.add(name);
  return truth(scope.conditions[name], scope, ['Conditions', name]);
}

/** Whether a resource's `Condition` holds (resources without one always exist). */
export function conditionHolds(name: string | undefined, scope: IntrinsicScope, path: KeyPath): boolean {
  return name === undefined || conditionValue(name, scope, path);
}

function splitOnce(s: string): string[] {
  const dot = s.indexOf('.');
  return dot < 0 ? [s] : [s.slice(0, dot), s.slice(dot + 1)];
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Properties evaluated when read: a property Syncline ignores (a role's ARN, a KMS key) may refer to resources
 * that do not exist locally, and must not fail the template for it.
 */
export function lazyProperties(
  raw: Record<string, unknown>,
  scope: IntrinsicScope,
  path: KeyPath,
): Record<string, unknown> {
  const cache = new Map<string, unknown>();
  return new Proxy(raw, {
    get(target, key) {
      if (typeof key !== 'string' || !Object.hasOwn(target, key)) return undefined;
      if (!cache.has(key)) cache.set(key, evaluate(target[key], scope, [...path, key]));
      const v = cache.get(key);
      return v === NO_VALUE ? undefined : v;
    },
  });
}

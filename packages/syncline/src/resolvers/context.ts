// The `ctx` object APPSYNC_JS handlers receive.
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  print,
  type SelectionSetNode,
} from 'graphql';

export interface ResolverInfo {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  readonly selectionSetList: string[];
  readonly selectionSetGraphQL: string;
}

export interface ResolverContext {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  stash: Record<string, unknown>;
  prev: { result: unknown };
  result?: unknown;
  error?: { message: string; type: string };
  info: ResolverInfo;
  request: { headers: Record<string, string>; domainName: string | null };
  env: Record<string, string>;
}

// Parsed documents are cached, so a field node stands for one selection; its list and text are computed once.
const selections = new WeakMap<FieldNode, { list?: string[]; text?: string; json?: string; jsonParent?: string }>();

// graphql-jit coerces variables into a new object per request: their JSON is written once per request, and a
// request without variables (the common case) writes none.
const variablesJson = new WeakMap<object, string>();

function variablesText(variables: Record<string, unknown>): string {
  if (isEmpty(variables)) return '{}';
  let text = variablesJson.get(variables);
  if (text === undefined) {
    text = json(variables);
    variablesJson.set(variables, text);
  }
  return text;
}

function isEmpty(value: object): boolean {
  for (const _ in value) return false;
  return true;
}

/**
 * `ctx.info` without its variables, as the realm reads it (realm/inside.ts): the selection list as JSON text
 * inside the JSON, so that the realm keeps one parsed copy per field and builds each call's `info` from it.
 */
function infoJson(fieldName: string, parentTypeName: string, list: string[], graphql: string): string {
  return `{"fieldName":${json(fieldName)},"parentTypeName":${json(parentTypeName)},"selectionSetList":${json(json(list))},"selectionSetGraphQL":${json(graphql)}}`;
}

/** Built lazily: most resolvers never read the selection set, and walking it costs on every call. */
class LazyResolverInfo implements ResolverInfo {
  readonly fieldName: string;
  readonly parentTypeName: string;
  readonly variables: Record<string, unknown>;
  private list?: string[];
  private text?: string;

  constructor(private readonly info: GraphQLResolveInfo) {
    this.fieldName = info.fieldName;
    this.parentTypeName = info.parentType.name;
    this.variables = info.variableValues;
  }

  get selectionSetList(): string[] {
    if (!this.list) {
      const cached = this.cached();
      cached.list ??= selectionList(this.info.fieldNodes[0].selectionSet, this.info.fragments, '');
      this.list = cached.list;
    }
    return this.list;
  }

  get selectionSetGraphQL(): string {
    if (this.text === undefined) {
      const cached = this.cached();
      cached.text ??= selectionText(this.info.fieldNodes[0], this.info.fragments);
      this.text = cached.text;
    }
    return this.text;
  }

  private cached() {
    const node = this.info.fieldNodes[0];
    let entry = selections.get(node);
    if (!entry) {
      entry = {};
      selections.set(node, entry);
    }
    return entry;
  }

  /**
   * `ctx.info` as the realm reads it (infoJson): the same for every item of a list that resolves this field node
   * and for every request, so it is written once per field node and parent type.
   */
  json(): string {
    const cached = this.cached();
    if (cached.json === undefined || cached.jsonParent !== this.parentTypeName) {
      cached.json = infoJson(this.fieldName, this.parentTypeName, this.selectionSetList, this.selectionSetGraphQL);
      cached.jsonParent = this.parentTypeName;
    }
    return cached.json;
  }

  // Handlers may JSON.stringify ctx.info; show the public fields only.
  toJSON() {
    const { fieldName, parentTypeName, variables, selectionSetList, selectionSetGraphQL } = this;
    return { fieldName, parentTypeName, variables, selectionSetList, selectionSetGraphQL };
  }
}

export function resolverInfo(info: GraphQLResolveInfo): ResolverInfo {
  return new LazyResolverInfo(info);
}

function selectionList(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  prefix: string,
  out: string[] = [],
): string[] {
  if (!set) return out;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = (sel.alias ?? sel.name).value;
      if (name === '__typename') continue;
      const path = prefix + name;
      if (!out.includes(path)) out.push(path);
      selectionList(sel.selectionSet, fragments, `${path}/`, out);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      selectionList(sel.selectionSet, fragments, prefix, out);
    } else {
      selectionList(fragments[sel.name.value]?.selectionSet, fragments, prefix, out);
    }
  }
  return out;
}

function selectionText(field: FieldNode, fragments: Record<string, FragmentDefinitionNode>): string {
  if (!field.selectionSet) return '';
  const used = new Set<string>();
  const collect = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FRAGMENT_SPREAD && !used.has(sel.name.value)) {
        used.add(sel.name.value);
        collect(fragments[sel.name.value]?.selectionSet);
      } else if (sel.kind !== Kind.FRAGMENT_SPREAD) collect(sel.selectionSet);
    }
  };
  collect(field.selectionSet);
  const parts = [print(field.selectionSet), ...[...used].map((n) => print(fragments[n]))];
  return parts.join('\n\n');
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** As `json`, with the empty object every fresh ctx starts with (args, stash) written without a walk. */
function objectJson(value: unknown): string {
  if (typeof value === 'object' && value !== null && isEmpty(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return '{}';
  }
  return json(value);
}

interface SharedText {
  identity: unknown;
  headers: Record<string, string>;
  domainName: string | null;
  env: Record<string, string>;
  text: string;
}

let lastShared: SharedText | undefined;

/**
 * The parts of `ctx` that are the same for every field of one GraphQL request (`identity`, `request`, `env`), as
 * JSON members. The last text is handed out again while they match: for every field of a request, and for the
 * next request of a client sending the same headers with the same identity (API-key callers: identity null). The
 * very same string is what lets each realm see, by reference, that its parsed copy still holds.
 */
export function sharedContextJson(ctx: ResolverContext): string {
  const { identity, env } = ctx;
  const { headers, domainName } = ctx.request;
  const last = lastShared;
  if (
    last !== undefined &&
    last.identity === identity &&
    last.env === env &&
    last.domainName === domainName &&
    (last.headers === headers || sameHeaders(last.headers, headers))
  ) {
    return last.text;
  }
  const text = `"identity":${json(identity)},"request":${json(ctx.request)},"env":${json(env)}`;
  lastShared = { identity, headers, domainName, env, text };
  return text;
}

/** Same names with the same values, in the same order (the order JSON.stringify writes them in). */
function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(b);
  let i = 0;
  for (const name in a) {
    if (names[i] !== name || a[name] !== b[name]) return false;
    i++;
  }
  return i === names.length;
}

/** The `prev` every unit resolver and a pipeline's before handler start with. */
export const NO_PREVIOUS: { readonly result: null } = Object.freeze({ result: null });

/** The patch of a ctx no handler has run on yet; a literal, so the realm recognises it by reference. */
const FRESH_PATCH = '{"stash":{},"prev":{"result":null}}';

// Fields whose args a VTL pipeline template changed: every later handler's patch carries them.
const replacedArgs = new WeakSet<ResolverContext>();

/** A VTL pipeline template changed `$ctx.args` (realm/inside.ts `sharesArgs`): the handlers after it see that. */
export function replaceArgs(ctx: ResolverContext, args: Record<string, unknown>): void {
  ctx.args = ctx.arguments = args;
  delete (ctx as WithOwn)[OWN];
  replacedArgs.add(ctx);
}

/** The members the engine changes between handlers: stash, prev, result and error (and args a template changed). */
export function contextPatchJson(ctx: ResolverContext): string {
  const stash = objectJson(ctx.stash);
  const argsReplaced = replacedArgs.has(ctx);
  if (
    !argsReplaced &&
    stash === '{}' &&
    ctx.prev === NO_PREVIOUS &&
    ctx.result === undefined &&
    ctx.error === undefined
  ) {
    return FRESH_PATCH;
  }
  let out = `{"stash":${stash},"prev":${ctx.prev === NO_PREVIOUS ? '{"result":null}' : json(ctx.prev)}`;
  if (argsReplaced) out += `,"args":${json(ctx.args)}`;
  if (ctx.result !== undefined) out += `,"result":${json(ctx.result)}`;
  if (ctx.error !== undefined) out += `,"error":${json(ctx.error)}`;
  return `${out}}`;
}

/** `ctx.args`, `ctx.source`, `ctx.info` (infoJson) and `ctx.info.variables` as the realm reads them. */
export interface OwnContextText {
  args: string;
  source: string;
  info: string;
  variables: string;
}

// These do not change during one field's resolution: written once for all the realms a pipeline crosses, kept
// on the host's ctx under a key no JSON text shows.
const OWN = Symbol('own ctx text');
type WithOwn = ResolverContext & { [OWN]?: OwnContextText };

/** `ctx` without its request-wide members and its patch (contextPatchJson), as text for the realm. */
export function ownContextText(ctx: ResolverContext): OwnContextText {
  let own = (ctx as WithOwn)[OWN];
  if (own === undefined) {
    const { info } = ctx;
    own = {
      args: objectJson(ctx.args),
      source: ctx.source === null ? 'null' : json(ctx.source),
      info:
        info instanceof LazyResolverInfo
          ? info.json()
          : infoJson(info.fieldName, info.parentTypeName, info.selectionSetList, info.selectionSetGraphQL),
      variables: variablesText(info.variables),
    };
    (ctx as WithOwn)[OWN] = own;
  }
  return own;
}

// The VTL engine as it runs inside a resolver realm (bundled with velocityjs by vtl/load.ts, instrumented with the
// realm's tick like resolver code, so the time budget bounds parsing and rendering). `compile` parses a resolver's
// templates once and answers the realm's `request`/`response` handlers: each renders its template against `ctx`
// and reads the text as JSON, as AppSync does. Everything here is made inside the realm; templates reach only the
// values of `ctx`, the realm's `util` and the closed list of Java methods in javaMethods.ts.
import { Compile, Helper, parse } from 'velocityjs';
import { callJavaMethod, javaTypeName } from './javaMethods.js';
import { createVtlUtil, TemplateProblem } from './util.js';

export interface VtlOptions {
  /** The realm global holding util, runtime and extensions (resolvers/bundle.ts BUILTINS_GLOBAL). */
  builtinsGlobal: string;
  request?: string;
  response?: string;
  version: '2017-02-28' | '2018-05-29';
  /** A pipeline resolver's before/after templates may render nothing (they usually only set the stash). */
  kind: 'unit' | 'function' | 'pipeline';
}

/** AppSync's Velocity runs with `directive.foreach.maxloops` 1000: a loop stops silently after 1000 iterations. */
const FOREACH_LIMIT = 1000;
/** Names a template might use to reach the runtime behind its values; they fail the template at once. */
const FORBIDDEN = new Set(['class', 'getClass', 'constructor', '__proto__', 'prototype', '__defineGetter__']);

type Ctx = Record<string, unknown>;
type Ast = any;
const hasOwn = (o: object, k: string) => Object.hasOwn(o, k);

let loops = 0;

// A reference's source text (`$ctx.args.id`), rendered for null references and error messages; built once per node.
const refTexts = new WeakMap<object, string>();
function refText(ast: Ast): string {
  let text = refTexts.get(ast);
  if (text === undefined) {
    text = Helper.getRefText(ast) as string;
    refTexts.set(ast, text);
  }
  return text;
}

/** How Velocity prints a value: Java's toString of lists (`[a, b]`) and maps (`{k=v}`). */
function display(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ', ' : ''}${String(display(value[i]))}`;
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    out += `${first ? '' : ', '}${key}=${String(display((value as Ctx)[key]))}`;
    first = false;
  }
  return `${out}}`;
}

/** Velocity renders a void method's call as nothing (a method answering null renders as its own text). */
const voidIsBlank = (value: unknown) => (value === undefined ? '' : value);

export function compile(optionsJson: string) {
  const options = JSON.parse(optionsJson) as VtlOptions;
  const g = globalThis as Record<string, any>;
  const builtins = g[options.builtinsGlobal];
  const jsUtil = builtins.util as Record<string, any>;
  const runtime = builtins.runtime as { earlyReturn(value?: unknown): never };
  const util = createVtlUtil(jsUtil, (...args) => g.console.log(...args));
  const namespaces = new Set<object>();
  const collect = (ns: unknown) => {
    if (typeof ns !== 'object' || ns === null || namespaces.has(ns)) return;
    namespaces.add(ns);
    for (const v of Object.values(ns)) collect(v);
  };
  collect(util);
  collect(builtins.extensions);

  const problem = (message: string): never => {
    jsUtil.error(message, 'MappingTemplate');
    throw new TemplateProblem(message);
  };

  const Base = Compile as unknown as new (asts: Ast[]) => any;
  class Template extends Base {
    // velocityjs's own versions of the hot paths below walk arrays with forEach/some/map and rebuild each
    // reference's text on every lookup; in a realm every array built-in is a capped wrapper, so these indexed
    // versions (same behaviour) keep a VTL `{ hello }` near the APPSYNC_JS one.

    /** Renders `this.asts` against a fresh state: one Template serves every render of its template. */
    run(context: Ctx, macros: Ctx): string {
      this.context = context;
      this.macros = macros;
      this.defines = {};
      this.conditions = [];
      this.local = {};
      this.contextId = '';
      this.macrosStore = {};
      this.silence = false;
      this.runState = { stop: false, break: false };
      return this.renderAstList(this.asts);
    }

    renderAstList(asts: Ast[] | undefined, contextId?: string): string {
      const list = asts || this.asts;
      if (contextId) {
        if (contextId !== this.contextId && this.conditions.indexOf(contextId) === -1)
          this.conditions.unshift(contextId);
        this.contextId = contextId;
      } else this.contextId = '';
      let out = '';
      for (let i = 0; i < list.length; i++) {
        // #stop ends the template; #break ends the enclosing #foreach body at once (getBlockEach resets it).
        if (this.runState.stop === true || this.runState.break === true) break;
        const ast = list[i];
        if (typeof ast === 'string') {
          out += ast;
          continue;
        }
        switch (ast.type) {
          case 'references':
            out += display(this.getReferences(ast, true));
            break;
          case 'set':
            this.setValue(ast);
            break;
          case 'break':
            this.runState.break = true;
            break;
          case 'macro_call':
            out += this.getMacro(ast);
            break;
          case 'comment':
            break;
          case 'raw':
            out += ast.value;
            break;
          default:
            out += this.getBlock(ast);
        }
      }
      return out;
    }

    getReferences(ast: Ast, isVal?: boolean): unknown {
      if (FORBIDDEN.has(ast.id)) return problem(`${refText(ast)}: '${ast.id}' is not available in templates`);
      if (ast.prue) {
        const define = this.defines[ast.id];
        if (Array.isArray(define)) return this.renderAstList(define);
      }
      const context = this.context as Ctx;
      let value: unknown = hasOwn(context, ast.id) ? context[ast.id] : undefined;
      const conditions = this.conditions as string[];
      for (let i = 0; i < conditions.length; i++) {
        const local = this.local[conditions[i]];
        if (local && hasOwn(local, ast.id)) {
          value = local[ast.id];
          break;
        }
      }
      if (value !== undefined && ast.args !== undefined) value = this.getPropMethod(ast, context, ast);
      const path = ast.path as Ast[] | undefined;
      if (path) {
        for (let i = 0; i < path.length; i++) {
          if (value === undefined || value === null) {
            value = undefined;
            break;
          }
          value = this.getAttributes(path[i], value, ast);
        }
      }
      // Velocity renders a null reference as its own text (`$!ref` as nothing), as AppSync does.
      if (isVal && (value === undefined || value === null)) {
        return this.silence || ast.leader === '$!' ? '' : refText(ast);
      }
      return value;
    }

    getAttributes(property: Ast, base: unknown, ast: Ast): unknown {
      if (base === null || base === undefined) return undefined;
      if (property.type === 'method') return this.getPropMethod(property, base, ast);
      const key =
        property.type === 'property'
          ? property.id
          : property.id.type === 'references'
            ? this.getReferences(property.id)
            : property.id.value;
      return this.read(base, key, ast);
    }

    read(base: unknown, key: unknown, ast: Ast): unknown {
      const name = String(key);
      if (FORBIDDEN.has(name)) problem(`${refText(ast)}: '${name}' is not available in templates`);
      if (Array.isArray(base)) return typeof key === 'number' || /^\d+$/.test(name) ? base[Number(key)] : undefined;
      if (typeof base === 'object' && base !== null && hasOwn(base, name)) return (base as Ctx)[name];
      return undefined;
    }

    getPropMethod(property: Ast, base: unknown, ast: Ast): unknown {
      const name = String(property.id);
      if (FORBIDDEN.has(name)) problem(`${refText(ast)}: '${name}' is not available in templates`);
      const params = (property.args || []) as Ast[];
      const args: unknown[] = [];
      for (let i = 0; i < params.length; i++) args[i] = this.getLiteral(params[i]);
      if (typeof base === 'object' && base !== null && namespaces.has(base)) {
        const fn = hasOwn(base, name) ? (base as Ctx)[name] : undefined;
        if (typeof fn !== 'function') return problem(`${refText(ast)}: ${name} is not a known method`);
        return voidIsBlank((fn as (...a: unknown[]) => unknown).apply(base, args));
      }
      const call = callJavaMethod(base, name, args);
      if (!call.found && args.length === 0 && typeof base === 'object' && base !== null && !Array.isArray(base)) {
        // Velocity's loop object and Java beans answer getters: `$foreach.hasNext()`, `$foreach.getCount()`.
        const bean = /^(?:get|is)([A-Z])(.*)$/.exec(name);
        const key = hasOwn(base, name) ? name : bean ? bean[1].toLowerCase() + bean[2] : undefined;
        if (key !== undefined && hasOwn(base, key)) {
          const found = (base as Ctx)[key];
          if (typeof found !== 'function') return found;
        }
      }
      if (!call.found) {
        return problem(`${refText(ast)}: method ${name} is not supported on a ${javaTypeName(base)}`);
      }
      return voidIsBlank(call.value);
    }

    getBlockEach(block: Ast[]): string {
      const ast = block[0];
      const from = this.getLiteral({ ...ast.from, pos: ast.pos });
      if (typeof from !== 'object' || from === null) return '';
      const items = (Array.isArray(from) ? from : Object.values(from)).slice(0, FOREACH_LIMIT);
      const body = block.slice(1);
      const contextId = `foreach:${loops++}`;
      const local: Ctx = {};
      let out = '';
      for (let i = 0; i < items.length && !this.runState.break; i++) {
        local[ast.to] = items[i];
        local.foreach = { count: i + 1, index: i, hasNext: i + 1 < items.length };
        local.velocityCount = i + 1;
        this.local[contextId] = local;
        out += this.renderAstList(body, contextId);
      }
      this.runState.break = false;
      this.local[contextId] = {};
      this.conditions.shift();
      this.contextId = this.conditions[0] || '';
      return out;
    }
  }

  const parseTemplate = (text: string | undefined, which: string): Ast[] | undefined => {
    if (text === undefined) return undefined;
    try {
      // `#return` and `#stop` without parentheses are Velocity's; velocityjs knows only the macro-call form.
      return parse(text.replace(/#(return|stop)(?![\w(])/g, '#$1()'));
    } catch (error) {
      return problem(`the ${which} mapping template does not parse: ${String((error as Error).message)}`);
    }
  };
  const requestAst = parseTemplate(options.request, 'request');
  const responseAst = parseTemplate(options.response, 'response');
  const requestTemplate = requestAst && new Template(requestAst);
  const responseTemplate = responseAst && new Template(responseAst);

  const render = (template: InstanceType<typeof Template>, ctx: Ctx): string => {
    const context: Ctx = Object.create(null);
    context.context = ctx;
    context.ctx = ctx;
    context.util = util;
    context.utils = util;
    context.extensions = builtins.extensions;
    const macros: Ctx = {
      return: (value?: unknown) => runtime.earlyReturn(returned(value)),
      stop: () => {
        template.runState.stop = true;
        return '';
      },
    };
    try {
      return template.run(context, macros);
    } catch (caught) {
      // util.error / unauthorized / #return and an exhausted budget pass through; any other failure while
      // rendering is the template's, reported as AppSync reports template errors.
      if (caught instanceof TemplateProblem) return problem(caught.message);
      if (caught instanceof Error && caught.name !== 'ResolverError' && caught.name !== 'UnauthorizedSignal') {
        return problem(caught.message);
      }
      throw caught;
    }
  };

  const document = (text: string, which: string, lenient: boolean): unknown => {
    if (text.trim() === '') {
      if (lenient) return null;
      return problem(`Unable to parse the JSON document: the ${which} mapping template rendered nothing`);
    }
    const value = JSON.parse(text);
    // The realm's JSON.parse answers '' for text that is not JSON (APPSYNC_JS's rule).
    if (value === '' && text.trim() !== '""') {
      if (which === 'response') return text.trim();
      return problem(`Unable to parse the JSON document: ${text.trim().slice(0, 200)}`);
    }
    return value;
  };

  // `#return($util.toJson(x))` is how Amplify's templates return x: a string is read as the JSON text a template
  // renders (a field denied inside a mutation returns `$util.toJson(null)` and resolves to null); text that is not
  // JSON stays a string, as a response template's output does.
  const returned = (value: unknown): unknown => {
    if (value === undefined) return null;
    if (typeof value !== 'string') return value;
    const parsed = JSON.parse(value);
    return parsed === '' && value.trim() !== '""' ? value : parsed;
  };

  const handlers: Record<string, (ctx: Ctx) => unknown> = {};
  if (requestTemplate) {
    handlers.request = (ctx) => document(render(requestTemplate, ctx), 'request', options.kind === 'pipeline');
  }
  if (responseTemplate) {
    handlers.response = (ctx) => {
      const error = ctx.error as { message?: unknown; type?: unknown } | undefined;
      // 2017-02-28: a data source error is raised as the field's error and the response template is not run.
      if (error && options.kind === 'unit' && options.version === '2017-02-28') {
        return jsUtil.error(String(error.message), error.type ?? null);
      }
      return document(render(responseTemplate, ctx), 'response', true);
    };
  }
  return handlers;
}

// Static check of resolver code against the APPSYNC_JS language subset, run before a resolver is loaded so that
// code AppSync would refuse at create time is refused here too, with positions in the file the user wrote.
//
// Sources for what is refused: the "Supported runtime features" page of the AppSync developer guide (statements,
// operators, functions, async, regex, globals) and the rule set of AWS's own @aws-appsync/eslint-plugin, which adds
// `this`, `instanceof`, classes, generators, and re-assigning `ctx` or its base properties. Where the brief for this
// module and that material differ, the material wins; see the comments at each rule.

import { TraceMap, traceSegment } from '@jridgewell/trace-mapping';
import { type AnyNode, type Function as FunctionNode, type Node, parse, type SourceLocation } from 'acorn';
import { ancestor } from 'acorn-walk';

export type RestrictionRule =
  | 'syntax-error'
  | 'no-try'
  | 'no-throw'
  | 'no-while'
  | 'no-for'
  | 'no-continue'
  | 'no-labels'
  | 'no-with'
  | 'no-disallowed-unary-operators'
  | 'no-in-operator'
  | 'no-disallowed-binary-operators'
  | 'no-regex'
  | 'no-async'
  | 'no-await'
  | 'no-promise'
  | 'no-generators'
  | 'no-yield'
  | 'no-classes'
  | 'no-this'
  | 'no-recursion'
  | 'no-function-passing'
  | 'no-apply-bind-call'
  | 'no-dynamic-code'
  | 'no-disallowed-re-assignment'
  | 'no-disallowed-import';

export interface RestrictionViolation {
  rule: RestrictionRule;
  message: string;
  file: string;
  /** 1-based line in the file the user wrote (the .ts file when a source map is given). */
  line: number;
  /** 1-based column, as editors and esbuild's diagnostics count them. */
  column: number;
}

/** Resolver code that uses language features the APPSYNC_JS runtime refuses. */
export class CodeRestrictionError extends Error {
  constructor(readonly violations: RestrictionViolation[]) {
    super(violations.map((v) => `${v.file}:${v.line}:${v.column}: ${v.message}`).join('\n'));
    this.name = 'CodeRestrictionError';
  }
}

const RUNTIME = 'by the APPSYNC_JS runtime';
const UNSUPPORTED = `is not supported ${RUNTIME}`;
const UNSUPPORTED_PLURAL = `are not supported ${RUNTIME}`;

const ALLOWED_MODULES = new Set(['@aws-appsync/utils', '@aws-appsync/utils/dynamodb', '@aws-appsync/utils/rds']);

// The array methods AppSync lets take a callback (the allow-list of AWS's no-function-passing lint rule).
// `sort` is deliberately absent: the runtime's Array.prototype.sort() takes no comparator.
const CALLBACK_METHODS = new Set([
  'map',
  'flatMap',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'forEach',
  'reduce',
  'reduceRight',
  'every',
  'some',
]);

/**
 * Every construct in `source` that the APPSYNC_JS runtime rejects. `source` is JavaScript; for TypeScript pass the
 * esbuild output and its JSON source map, and positions are reported in the original file.
 */
export function checkAppsyncJs(source: string, file: string, sourceMap?: string): RestrictionViolation[] {
  const positions = new PositionMapper(source, sourceMap);
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true }) as AnyNode;
  } catch (error) {
    return [syntaxViolation(error, source, file, positions)];
  }

  const found: RestrictionViolation[] = [];
  const report = (rule: RestrictionRule, node: Node, message: string) => {
    const at = positions.original(node);
    found.push({ rule, message, file, line: at.line, column: at.column });
  };
  const functionNames = collectFunctionNames(program);

  ancestor(program, {
    TryStatement(node) {
      report('no-try', node, `try/catch/finally ${UNSUPPORTED}; use util.error() to raise an error`);
    },
    ThrowStatement(node) {
      report('no-throw', node, `throw ${UNSUPPORTED}; use util.error() to raise an error`);
    },
    WhileStatement(node) {
      report('no-while', node, `while loops ${UNSUPPORTED_PLURAL}; use for-of or for-in`);
    },
    DoWhileStatement(node) {
      report('no-while', node, `do-while loops ${UNSUPPORTED_PLURAL}; use for-of or for-in`);
    },
    ForStatement(node) {
      report('no-for', node, `for(;;) loops ${UNSUPPORTED_PLURAL}; use for-of or for-in`);
    },
    ForOfStatement(node) {
      if (node.await) report('no-await', node, `for await ${UNSUPPORTED}; async code cannot run in a resolver`);
    },
    ContinueStatement(node) {
      report('no-continue', node, `continue ${UNSUPPORTED}`);
    },
    LabeledStatement(node) {
      report('no-labels', node, `labeled statements ${UNSUPPORTED_PLURAL}`);
    },
    UpdateExpression(node) {
      report('no-disallowed-unary-operators', node, `the ${node.operator} operator ${UNSUPPORTED}; use += 1 or -= 1`);
    },
    UnaryExpression(node) {
      if (node.operator === '~') report('no-disallowed-unary-operators', node, `the unary ~ operator ${UNSUPPORTED}`);
    },
    BinaryExpression(node) {
      if (node.operator === 'in') {
        report('no-in-operator', node, `the in operator ${UNSUPPORTED}; use Object.hasOwn(object, key)`);
      } else if (node.operator === 'instanceof') {
        report('no-disallowed-binary-operators', node, `the instanceof operator ${UNSUPPORTED}`);
      }
    },
    Literal(node) {
      if (node.regex) {
        report('no-regex', node, `regular expression literals ${UNSUPPORTED_PLURAL}; pass a pattern string`);
      }
    },
    AwaitExpression(node) {
      report('no-await', node, `await ${UNSUPPORTED}; async code cannot run in a resolver`);
    },
    YieldExpression(node) {
      report('no-yield', node, `yield ${UNSUPPORTED}`);
    },
    Function(node, _state, ancestors) {
      // A method's FunctionExpression starts at its parameter list; point at the method name instead.
      const parent = ancestors[ancestors.length - 2];
      const at = parent && (parent.type === 'Property' || parent.type === 'MethodDefinition') ? parent : node;
      if (node.async) report('no-async', at, `async functions ${UNSUPPORTED_PLURAL}`);
      if (node.generator) report('no-generators', at, `generator functions ${UNSUPPORTED_PLURAL}`);
    },
    Class(node) {
      report('no-classes', node, `classes ${UNSUPPORTED_PLURAL}`);
    },
    ThisExpression(node) {
      report('no-this', node, `this ${UNSUPPORTED}`);
    },
    Identifier(node) {
      // Only expression positions reach this visitor (acorn-walk visits property keys and declared names under
      // other types), so `x.Promise` or `{ eval: 1 }` are not reported.
      if (node.name === 'Promise') {
        report('no-promise', node, `Promise ${UNSUPPORTED}; async code cannot run in a resolver`);
      } else if (node.name === 'RegExp') {
        report('no-regex', node, `RegExp ${UNSUPPORTED}; pass a pattern string`);
      } else if (node.name === 'eval') {
        report('no-dynamic-code', node, `eval ${UNSUPPORTED}`);
      }
    },
    NewExpression(node) {
      if (node.callee.type === 'Identifier' && node.callee.name === 'Function') {
        report('no-dynamic-code', node, `the Function constructor ${UNSUPPORTED}`);
      }
    },
    CallExpression(node, _state, ancestors) {
      const callee = node.callee;
      if (callee.type === 'Identifier' && callee.name === 'Function') {
        report('no-dynamic-code', node, `the Function constructor ${UNSUPPORTED}`);
      }
      const method = callee.type === 'MemberExpression' ? memberName(callee) : undefined;
      if (callee.type === 'MemberExpression' && method && ['apply', 'bind', 'call'].includes(method)) {
        report('no-apply-bind-call', callee.property, `Function.prototype.${method}() ${UNSUPPORTED}`);
      }
      if (callee.type === 'Identifier' && isRecursiveCall(callee.name, ancestors)) {
        report('no-recursion', node, `recursive call to ${callee.name}() ${UNSUPPORTED}`);
      }
      const passesFunction = node.arguments.some(
        (arg) =>
          arg.type === 'ArrowFunctionExpression' ||
          arg.type === 'FunctionExpression' ||
          (arg.type === 'Identifier' && functionNames.has(arg.name)),
      );
      if (passesFunction && !(method && CALLBACK_METHODS.has(method))) {
        const message =
          method === 'sort'
            ? `Array.prototype.sort() takes no comparator in the APPSYNC_JS runtime`
            : `passing a function as an argument ${UNSUPPORTED} (array methods such as map, filter, reduce and forEach are the exception)`;
        report('no-function-passing', node, message);
      }
    },
    AssignmentExpression(node, _state, ancestors) {
      const ctxName = contextParameter(ancestors);
      if (!ctxName) return;
      const target = node.left;
      if (target.type === 'Identifier' && target.name === ctxName) {
        report('no-disallowed-re-assignment', node, `re-assigning ${ctxName} ${UNSUPPORTED}`);
      } else if (
        target.type === 'MemberExpression' &&
        target.object.type === 'Identifier' &&
        target.object.name === ctxName
      ) {
        const property = memberName(target) ?? '[…]';
        report(
          'no-disallowed-re-assignment',
          node,
          `re-assigning ${ctxName}.${property} ${UNSUPPORTED}; assign to its properties instead`,
        );
      }
    },
    ImportDeclaration(node) {
      checkModule(node.source, report);
    },
    ExportNamedDeclaration(node) {
      if (node.source) checkModule(node.source, report);
    },
    ExportAllDeclaration(node) {
      checkModule(node.source, report);
    },
    ImportExpression(node) {
      report('no-disallowed-import', node, `dynamic import() ${UNSUPPORTED}`);
    },
  });

  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Throws a {@link CodeRestrictionError} listing every violation, if there is any. */
export function assertAppsyncJs(source: string, file: string, sourceMap?: string): void {
  const violations = checkAppsyncJs(source, file, sourceMap);
  if (violations.length) throw new CodeRestrictionError(violations);
}

type Report = (rule: RestrictionRule, node: Node, message: string) => void;

function checkModule(source: AnyNode, report: Report): void {
  if (source.type !== 'Literal' || typeof source.value !== 'string') return;
  const name = source.value;
  if (ALLOWED_MODULES.has(name) || name.startsWith('./') || name.startsWith('../')) return;
  if (name === '@aws-appsync/utils/ai') {
    // Its helpers only build requests for an AMAZON_BEDROCK_RUNTIME data source, which Syncline refuses at load.
    report(
      'no-disallowed-import',
      source,
      "importing '@aws-appsync/utils/ai': invokeModel and converse build requests for an AMAZON_BEDROCK_RUNTIME data source, whose models run only on AWS and which Syncline does not run; call the model from a function behind an AWS_LAMBDA data source instead",
    );
    return;
  }
  report(
    'no-disallowed-import',
    source,
    `importing '${name}' ${UNSUPPORTED}; only @aws-appsync/utils, @aws-appsync/utils/dynamodb, @aws-appsync/utils/rds and relative files can be imported`,
  );
}

function memberName(node: Extract<AnyNode, { type: 'MemberExpression' }>): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') {
    return node.property.value;
  }
  return undefined;
}

/** Names bound to functions anywhere in the module: declarations and `const f = () => …` style bindings. */
function collectFunctionNames(program: AnyNode): Set<string> {
  const names = new Set<string>();
  ancestor(program, {
    FunctionDeclaration(node) {
      if (node.id) names.add(node.id.name);
    },
    VariableDeclarator(node) {
      const init = node.init;
      if (
        node.id.type === 'Identifier' &&
        init &&
        (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')
      ) {
        names.add(node.id.name);
      }
    },
  });
  return names;
}

/** The name a function is called by inside its own body: its own name, or the variable it initialises. */
function nameOfFunction(fn: FunctionNode, parent: AnyNode | undefined): string | undefined {
  if (fn.id) return fn.id.name;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  return undefined;
}

function isFunctionNode(node: AnyNode): node is AnyNode & FunctionNode {
  return (
    node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression'
  );
}

function isRecursiveCall(callee: string, ancestors: AnyNode[]): boolean {
  for (let i = ancestors.length - 2; i >= 0; i -= 1) {
    const node = ancestors[i];
    if (isFunctionNode(node) && nameOfFunction(node, ancestors[i - 1]) === callee) return true;
  }
  return false;
}

/** The first parameter's name of the enclosing `request`/`response` handler, which AppSync protects. */
function contextParameter(ancestors: AnyNode[]): string | undefined {
  for (let i = ancestors.length - 2; i >= 0; i -= 1) {
    const node = ancestors[i];
    if (!isFunctionNode(node)) continue;
    const name = nameOfFunction(node, ancestors[i - 1]);
    const first = node.params[0];
    if ((name === 'request' || name === 'response') && first?.type === 'Identifier') return first.name;
  }
  return undefined;
}

function syntaxViolation(
  error: unknown,
  source: string,
  file: string,
  positions: PositionMapper,
): RestrictionViolation {
  const e = error as Error & { pos?: number; loc?: { line: number; column: number } };
  const raw = e.message.replace(/ \(\d+:\d+\)$/, '');
  // The runtime is strict mode only, so acorn refuses `with` while parsing rather than handing us a node.
  const isWith = /'with' in strict mode/.test(raw);
  const message = isWith ? `with statements ${UNSUPPORTED_PLURAL} (resolver code always runs in strict mode)` : raw;
  const loc = e.loc ?? { line: 1, column: 0 };
  const at = positions.originalAt(loc, source.slice(e.pos ?? 0, (e.pos ?? 0) + 8));
  return { rule: isWith ? 'no-with' : 'syntax-error', message, file, line: at.line, column: at.column };
}

/**
 * Maps positions in the checked JavaScript back to the file the user wrote. esbuild maps statements and most
 * expressions but not every sub-expression, and it may map a declaration to the `export` keyword it moved away, so
 * the mapped point is checked against the text there: the position is placed by its distance from the nearest
 * mapped point to its left if the same token is found there, else at the mapped point if the token is there, else
 * at the token's next occurrence on that original line.
 */
class PositionMapper {
  private readonly map: TraceMap | undefined;
  private readonly originalLines: string[] | undefined;

  constructor(
    private readonly source: string,
    sourceMap: string | undefined,
  ) {
    if (!sourceMap) return;
    this.map = new TraceMap(sourceMap);
    const content = this.map.sourcesContent?.[0];
    this.originalLines = content == null ? undefined : content.split(/\r\n|\r|\n/);
  }

  original(node: Node): { line: number; column: number } {
    const loc = node.loc as SourceLocation;
    return this.originalAt(loc.start, this.source.slice(node.start, Math.min(node.end, node.start + 8)));
  }

  originalAt(generated: { line: number; column: number }, text: string): { line: number; column: number } {
    const unmapped = { line: generated.line, column: generated.column + 1 };
    if (!this.map) return unmapped;
    const segment = traceSegment(this.map, generated.line - 1, generated.column);
    if (!segment || segment.length === 1) return unmapped;
    const [generatedColumn, , line, column] = segment;
    const original = this.originalLines?.[line];
    const token = foldQuotes(text.split(/\s/, 1)[0]);
    if (original === undefined || !token) return { line: line + 1, column: column + 1 };
    const folded = foldQuotes(original);
    const shifted = column + (generated.column - generatedColumn);
    const at = folded.startsWith(token, shifted)
      ? shifted
      : folded.startsWith(token, column)
        ? column
        : folded.indexOf(token, column);
    return { line: line + 1, column: (at === -1 ? column : at) + 1 };
  }
}

// esbuild rewrites string quotes, so tokens are compared with quote characters folded together.
function foldQuotes(s: string): string {
  return s.replace(/['"`]/g, '"');
}

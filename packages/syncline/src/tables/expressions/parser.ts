// DynamoDB's expression grammar, in one place. Keywords (AND, OR, NOT, BETWEEN, IN, SET, REMOVE, ADD,
// DELETE) are case-insensitive; function names are not.
//
//   condition     = or ;
//   or            = and { "OR" and } ;
//   and           = not { "AND" not } ;
//   not           = "NOT" not | primary ;
//   primary       = "(" condition ")"
//                 | operand comparator operand
//                 | operand "BETWEEN" operand "AND" operand
//                 | operand "IN" "(" operand { "," operand } ")"
//                 | call ;                         (* attribute_exists, attribute_not_exists, attribute_type,
//                                                     begins_with, contains *)
//   comparator    = "=" | "<>" | "<" | "<=" | ">" | ">=" ;
//   operand       = path | valueRef | call ;       (* the only call allowed as an operand is size *)
//   call          = identifier "(" operand { "," operand } ")" ;
//
//   update        = clause { clause } ;            (* each clause keyword at most once *)
//   clause        = "SET" set { "," set }
//                 | "REMOVE" path { "," path }
//                 | "ADD" path valueRef { "," path valueRef }
//                 | "DELETE" path valueRef { "," path valueRef } ;
//   set           = path "=" setValue ;
//   setValue      = setOperand [ ( "+" | "-" ) setOperand ] ;
//   setOperand    = path | valueRef | identifier "(" setOperand { "," setOperand } ")" ;
//                                                  (* if_not_exists(path, v), list_append(a, b) *)
//
//   projection    = path { "," path } ;
//   keyCondition  = condition ;                    (* then restricted by toKeyCondition *)
//
//   path          = pathName { "." pathName | "[" digits "]" } ;
//   pathName      = identifier | nameRef ;         (* an identifier must not be a reserved word *)
//   identifier    = ( letter | "_" ) { letter | digit | "_" } ;
//   nameRef       = "#" word ;   valueRef = ":" word ;   word = { letter | digit | "_" }- ;
//
// Syntax errors stop the parse at once. Semantic problems (undefined placeholders, reserved words, function
// misuse, type errors on literal operands, overlapping paths) are collected while parsing and the most
// important one is reported afterwards, because DynamoDB reports them in a fixed priority, not source order.
import { validation } from '../errors.js';
import { compareValues } from '../values/compare.js';
import { type AttributeValue, typeOf } from '../values/types.js';
import type {
  Comparator,
  Condition,
  KeyCondition,
  KeyConditionOp,
  Operand,
  Path,
  SetValue,
  UpdateAction,
} from './ast.js';
import { pathToString } from './ast.js';
import type { ExpressionContext } from './context.js';
import { isReservedWord } from './reservedWords.js';
import { type Token, tokenize } from './tokenizer.js';

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

type Issue =
  | 'limit'
  | 'parens'
  | 'unknownFunction'
  | 'misusedFunction'
  | 'reserved'
  | 'section'
  | 'attrName'
  | 'attrVal'
  | 'pathOverlap'
  | 'pathConflict'
  | 'operand'
  | 'distinct'
  | 'function';

const CONDITION_PRIORITY: Issue[] = [
  'limit',
  'parens',
  'unknownFunction',
  'misusedFunction',
  'reserved',
  'attrName',
  'attrVal',
  'operand',
  'distinct',
  'function',
];
const UPDATE_PRIORITY: Issue[] = [
  'limit',
  'reserved',
  'unknownFunction',
  'section',
  'attrName',
  'attrVal',
  'pathOverlap',
  'pathConflict',
  'operand',
  'function',
];
const PROJECTION_PRIORITY: Issue[] = ['reserved', 'attrName', 'pathOverlap', 'pathConflict'];

const MAX_IN_OPERANDS = 100;
const MAX_OPERATORS = 300;
/** DynamoDB's limit on an expression string, in UTF-8 bytes as sent (before placeholders are substituted). */
export const MAX_EXPRESSION_BYTES = 4096;
/**
 * Parentheses and function calls the parser descends into. A valid expression stays far below: every level wraps
 * at least one operator (redundant parentheses are refused) and 300 operators is the limit. Checked before each
 * descent so that no input exhausts the stack.
 */
export const MAX_NESTING = 300;
/** Document paths nest at most 32 levels deep (the DynamoDB limits page). */
const MAX_PATH_DEPTH = 32;
/** A list index must fit a Java int. */
const MAX_LIST_INDEX = 2147483647;

const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const TYPE_NAMES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

/** A function call before it is known whether it is used as a condition or as an operand. */
interface Call {
  kind: 'call';
  name: string;
  args: (Operand | Call)[];
}

type Parsed = Operand | Call;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private readonly issues = new Map<Issue, string>();
  private readonly parenthesized = new WeakSet<Condition>();
  private readonly paths: Path[] = [];
  private operators = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly kind: ExpressionKind,
    private readonly ctx: ExpressionContext,
  ) {
    const size = Buffer.byteLength(source, 'utf8');
    if (size > MAX_EXPRESSION_BYTES) {
      throw this.error(`Expression size has exceeded the maximum allowed size; expression size: ${size}`);
    }
    this.tokens = tokenize(source);
    if (this.tokens.length === 1) throw this.error('The expression can not be empty;');
  }

  // ---- token helpers ----

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.text === text;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'identifier' && t.text.toUpperCase() === word;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.syntaxError();
    this.next();
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.syntaxError();
    this.next();
  }

  expectEnd(): void {
    if (this.peek().type !== 'eof') this.syntaxError();
  }

  error(message: string) {
    return validation(`Invalid ${this.kind}: ${message}`);
  }

  /** DynamoDB quotes the offending token and the source from the token before it to the token after it. */
  syntaxError(): never {
    const i = Math.min(this.pos, this.tokens.length - 1);
    const token = this.tokens[i];
    const from = i > 0 ? this.tokens[i - 1].start : token.start;
    const after = this.tokens[i + 1];
    const to = after && after.type !== 'eof' ? after.end : this.source.length;
    throw this.error(`Syntax error; token: "${token.text}", near: "${this.source.slice(from, to)}"`);
  }

  private descend(): void {
    if (++this.depth > MAX_NESTING) {
      throw this.error(`The expression has too many nested levels; nesting limit: ${MAX_NESTING}`);
    }
  }

  private ascend(): void {
    this.depth--;
  }

  private issue(kind: Issue, message: string): void {
    if (!this.issues.has(kind)) this.issues.set(kind, message);
  }

  throwIssues(priority: Issue[]): void {
    for (const kind of priority) {
      const message = this.issues.get(kind);
      if (message !== undefined) throw this.error(message);
    }
  }

  // ---- paths and placeholders ----

  parsePath(): Path {
    const path: Path = [this.parsePathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        path.push(this.parsePathName());
      } else if (this.isPunct('[')) {
        this.next();
        const t = this.peek();
        if (t.type !== 'number') this.syntaxError();
        this.next();
        if (t.text.length > 10 || Number(t.text) > MAX_LIST_INDEX) {
          throw this.error(`List index is not within the allowable range; index: [${t.text}]`);
        }
        this.expectPunct(']');
        path.push(Number(t.text));
      } else {
        if (path.length > MAX_PATH_DEPTH) {
          throw this.error(`The document path has too many nesting levels; nesting levels: ${path.length}`);
        }
        return path;
      }
    }
  }

  private parsePathName(): string {
    const t = this.peek();
    if (t.type === 'identifier') {
      this.next();
      if (isReservedWord(t.text))
        this.issue('reserved', `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
      return t.text;
    }
    if (t.type === 'name') {
      this.next();
      const name = this.ctx.name(t.text);
      if (name === undefined) {
        this.issue(
          'attrName',
          `An expression attribute name used in the document path is not defined; attribute name: ${t.text}`,
        );
        return t.text;
      }
      return name;
    }
    return this.syntaxError();
  }

  private parseValueRef(): AttributeValue {
    const t = this.peek();
    if (t.type !== 'value') this.syntaxError();
    this.next();
    const value = this.ctx.value(t.text);
    if (value === undefined) {
      this.issue(
        'attrVal',
        `An expression attribute value used in expression is not defined; attribute value: ${t.text}`,
      );
      return { NULL: true };
    }
    return value;
  }

  /** Remembers a path written by an update or projection and reports overlaps with earlier ones. */
  private addPath(path: Path): void {
    for (const earlier of this.paths) {
      const n = Math.min(earlier.length, path.length);
      let diverged = false;
      for (let i = 0; i < n && !diverged; i++) {
        if (typeof earlier[i] !== typeof path[i]) {
          this.issue(
            'pathConflict',
            `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathToString(earlier)}, path two: ${pathToString(path)}`,
          );
          diverged = true;
        } else if (earlier[i] !== path[i]) {
          diverged = true;
        }
      }
      if (!diverged) {
        this.issue(
          'pathOverlap',
          `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathToString(earlier)}, path two: ${pathToString(path)}`,
        );
      }
    }
    this.paths.push(path);
  }

  // ---- conditions ----

  parseCondition(): Condition {
    let left = this.parseAnd();
    while (this.isKeyword('OR')) {
      this.next();
      left = this.counted({ kind: 'or', left, right: this.parseAnd() });
    }
    return left;
  }

  checkOperatorCount(): void {
    if (this.operators > MAX_OPERATORS) {
      this.issue('limit', `The expression contains too many operators; operator count: ${this.operators}`);
    }
  }

  private counted<T>(node: T): T {
    this.operators++;
    return node;
  }

  private parseAnd(): Condition {
    let left = this.parseNot();
    while (this.isKeyword('AND')) {
      this.next();
      left = this.counted({ kind: 'and', left, right: this.parseNot() });
    }
    return left;
  }

  /** A run of NOTs is read in a loop, not by recursion: its length is bounded only by the expression's size. */
  private parseNot(): Condition {
    let nots = 0;
    while (this.isKeyword('NOT')) {
      this.next();
      nots++;
    }
    let condition = this.parsePrimary();
    for (let i = 0; i < nots; i++) condition = this.counted({ kind: 'not', condition });
    return condition;
  }

  private parsePrimary(): Condition {
    if (this.isPunct('(')) {
      this.next();
      this.descend();
      const inner = this.parseCondition();
      this.ascend();
      this.expectPunct(')');
      if (this.parenthesized.has(inner)) this.issue('parens', 'The expression has redundant parentheses;');
      this.parenthesized.add(inner);
      return inner;
    }
    const first = this.parseOperand();
    const t = this.peek();
    if (t.type === 'punct' && COMPARATORS.has(t.text)) {
      this.next();
      const second = this.parseOperand();
      const op = t.text as Comparator;
      this.checkDistinct(op, [first, second]);
      const left = this.asOperand(first);
      const right = this.asOperand(second);
      if (op !== '=' && op !== '<>') this.checkOrderable(op, [left, right]);
      return this.counted({ kind: 'compare', op, left, right });
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.parseOperand();
      this.expectKeyword('AND');
      const high = this.parseOperand();
      const node: Condition = {
        kind: 'between',
        operand: this.asOperand(first),
        low: this.asOperand(low),
        high: this.asOperand(high),
      };
      this.checkOrderable('BETWEEN', [node.operand, node.low, node.high]);
      this.checkBetweenBounds(node.low, node.high);
      return this.counted(node);
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectPunct('(');
      const list = [this.asOperand(this.parseOperand())];
      while (this.isPunct(',')) {
        this.next();
        list.push(this.asOperand(this.parseOperand()));
      }
      this.expectPunct(')');
      if (list.length > MAX_IN_OPERANDS) {
        this.issue('limit', `The IN operator is provided with too many operands; number of operands: ${list.length}`);
      }
      return this.counted({ kind: 'in', operand: this.asOperand(first), list });
    }
    if (first.kind === 'call') return this.counted(this.callAsCondition(first));
    return this.syntaxError();
  }

  private parseOperand(): Parsed {
    const t = this.peek();
    if (t.type === 'value') return { kind: 'value', value: this.parseValueRef() };
    if (t.type === 'identifier' && this.isPunct('(', 1)) return this.parseCall();
    if (t.type === 'identifier' || t.type === 'name') return { kind: 'path', path: this.parsePath() };
    return this.syntaxError();
  }

  private parseCall(): Call {
    const name = this.next().text;
    this.expectPunct('(');
    this.descend();
    const args = [this.parseOperand()];
    while (this.isPunct(',')) {
      this.next();
      args.push(this.parseOperand());
    }
    this.ascend();
    this.expectPunct(')');
    return { kind: 'call', name, args };
  }

  /** Function calls are only operands when they are size(); anything else is misuse. */
  private asOperand(p: Parsed): Operand {
    if (p.kind !== 'call') return p;
    if (p.name !== 'size') {
      if (this.checkFunctionName(p.name)) {
        this.issue(
          'misusedFunction',
          `The function is not allowed to be used this way in an expression; function: ${p.name}`,
        );
      }
      return { kind: 'path', path: [p.name] };
    }
    this.operators++;
    const args = this.functionArgs(p);
    if (args) {
      const type = operandType(args[0]);
      if (type === 'N' || type === 'BOOL' || type === 'NULL') this.operandTypeIssue('size', type);
    }
    return { kind: 'size', operand: args ? args[0] : { kind: 'path', path: [] } };
  }

  private callAsCondition(call: Call): Condition {
    const dummy: Condition = { kind: 'attribute_exists', path: [] };
    if (call.name === 'size') {
      this.issue('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
      return dummy;
    }
    const args = this.functionArgs(call);
    if (!args) return dummy;
    const name = call.name;
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists': {
        const [target] = args;
        if (target.kind !== 'path') {
          this.issue('function', `Operator or function requires a document path; operator or function: ${name}`);
          return dummy;
        }
        return { kind: name, path: target.path };
      }
      case 'attribute_type': {
        // Unlike attribute_exists, DynamoDB takes any operand here: attribute_type(:v, :t) checks the value's type.
        const [target, type] = args;
        const typeName = type.kind === 'value' && 'S' in type.value ? type.value.S : undefined;
        if (typeName === undefined) {
          this.operandTypeIssue(name, operandType(type) ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
        } else if (!TYPE_NAMES.includes(typeName)) {
          this.issue(
            'function',
            `Invalid attribute type name found; type: ${typeName}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
          );
        }
        return { kind: 'attribute_type', operand: target, type };
      }
      case 'begins_with': {
        for (const arg of args) {
          const type = operandType(arg);
          if (type && type !== 'S' && type !== 'B') this.operandTypeIssue(name, type);
        }
        return { kind: 'begins_with', operand: args[0], prefix: args[1] };
      }
      default:
        return { kind: 'contains', operand: args[0], member: args[1] };
    }
  }

  /** Returns false (after recording the issue) for names that are not condition functions. */
  private checkFunctionName(name: string): boolean {
    if (Object.hasOwn(CONDITION_FUNCTIONS, name)) return true;
    if (Object.hasOwn(UPDATE_FUNCTIONS, name)) {
      this.issue('unknownFunction', `The function is not allowed in a condition expression; function: ${name}`);
    } else {
      this.issue('unknownFunction', `Invalid function name; function: ${name}`);
    }
    return false;
  }

  /** Validates a condition function's name, arity and distinct operands; returns its operands when usable. */
  private functionArgs(call: Call): Operand[] | undefined {
    if (!this.checkFunctionName(call.name)) return undefined;
    for (const arg of call.args) {
      if (arg.kind === 'call' && arg.name !== 'size') {
        this.issue(
          'misusedFunction',
          `The function is not allowed to be used this way in an expression; function: ${arg.name}`,
        );
      }
    }
    if (call.args.length !== CONDITION_FUNCTIONS[call.name]) {
      this.issue(
        'operand',
        `Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${call.args.length}`,
      );
      return undefined;
    }
    this.checkDistinct(call.name, call.args);
    return call.args.map((a) => this.asOperand(a));
  }

  private operandTypeIssue(fn: string, type: string): void {
    this.issue(
      'function',
      `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${type}`,
    );
  }

  private checkDistinct(operator: string, args: Parsed[]): void {
    if (args.length !== 2) return;
    const [a, b] = args;
    if (a.kind === 'path' && b.kind === 'path' && pathToString(a.path) === pathToString(b.path)) {
      this.issue(
        'distinct',
        `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathToString(a.path)}`,
      );
    }
  }

  /**
   * Only strings, numbers and binaries have an order: DynamoDB refuses an ordering comparison whose literal operand
   * is of another type before evaluating anything (a path to such a value just compares false).
   */
  private checkOrderable(operator: string, operands: Operand[]): void {
    for (const o of operands) {
      if (o.kind !== 'value') continue;
      const type = typeOf(o.value);
      if (type !== 'S' && type !== 'N' && type !== 'B') {
        this.issue(
          'function',
          `Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}`,
        );
        return;
      }
    }
  }

  private checkBetweenBounds(low: Operand, high: Operand): void {
    if (low.kind !== 'value' || high.kind !== 'value') return;
    const lt = typeOf(low.value);
    const ht = typeOf(high.value);
    const describe = `lower bound operand: AttributeValue: {${lt}:${scalarText(low.value)}}, upper bound operand: AttributeValue: {${ht}:${scalarText(high.value)}}`;
    if (lt !== ht) {
      this.issue('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${describe}`);
    } else if ((lt === 'S' || lt === 'N' || lt === 'B') && compareValues(low.value, high.value) > 0) {
      this.issue(
        'function',
        `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${describe}`,
      );
    }
  }

  // ---- update expressions ----

  parseUpdate(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    while (this.peek().type !== 'eof') {
      const t = this.peek();
      const clause = t.type === 'identifier' ? t.text.toUpperCase() : '';
      if (clause !== 'SET' && clause !== 'REMOVE' && clause !== 'ADD' && clause !== 'DELETE') this.syntaxError();
      this.next();
      if (seen.has(clause))
        this.issue('section', `The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      actions.push(this.parseUpdateAction(clause));
      while (this.isPunct(',')) {
        this.next();
        actions.push(this.parseUpdateAction(clause));
      }
    }
    return actions;
  }

  private parseUpdateAction(clause: 'SET' | 'REMOVE' | 'ADD' | 'DELETE'): UpdateAction {
    const path = this.parsePath();
    if (clause === 'REMOVE') {
      this.addPath(path);
      return { action: 'REMOVE', path };
    }
    if (clause === 'SET') {
      this.expectPunct('=');
      const value = this.parseSetValue();
      this.addPath(path);
      return { action: 'SET', path, value };
    }
    const value = this.parseValueRef();
    this.addPath(path);
    const type = typeOf(value);
    const allowed = clause === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
    if (!allowed.includes(type)) {
      this.issue(
        'operand',
        `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${UPDATE_TYPE_NAMES[type]}`,
      );
    }
    return { action: clause, path, value };
  }

  private parseSetValue(): SetValue {
    const left = this.parseSetOperand();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text as '+' | '-';
      this.operators++;
      const right = this.parseSetOperand();
      for (const side of [left, right]) {
        const type = setValueType(side);
        if (type && type !== 'N') this.updateOperandTypeIssue(op, type);
      }
      return { kind: op, left, right };
    }
    return left;
  }

  private parseSetOperand(): SetValue {
    const t = this.peek();
    if (t.type === 'value') return { kind: 'value', value: this.parseValueRef() };
    if (t.type === 'identifier' && this.isPunct('(', 1)) {
      const name = this.next().text;
      this.expectPunct('(');
      this.operators++;
      this.descend();
      const args = [this.parseSetOperand()];
      while (this.isPunct(',')) {
        this.next();
        args.push(this.parseSetOperand());
      }
      this.ascend();
      this.expectPunct(')');
      return this.updateFunction(name, args);
    }
    if (t.type === 'identifier' || t.type === 'name') return { kind: 'path', path: this.parsePath() };
    return this.syntaxError();
  }

  private updateFunction(name: string, args: SetValue[]): SetValue {
    const dummy: SetValue = { kind: 'path', path: [name] };
    if (!Object.hasOwn(UPDATE_FUNCTIONS, name)) {
      this.issue('unknownFunction', `Invalid function name; function: ${name}`);
      return dummy;
    }
    if (args.length !== UPDATE_FUNCTIONS[name]) {
      this.issue(
        'function',
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
      return dummy;
    }
    if (name === 'if_not_exists') {
      const [target, fallback] = args;
      if (target.kind !== 'path') {
        this.issue('function', `Operator or function requires a document path; operator or function: ${name}`);
        return dummy;
      }
      return { kind: 'if_not_exists', path: target.path, fallback };
    }
    for (const arg of args) {
      if (arg.kind === 'list_append') {
        this.issue(
          'function',
          'The function is not allowed to be used this way in an expression; function: list_append',
        );
      }
      const type = setValueType(arg);
      if (type && type !== 'L') this.updateOperandTypeIssue(name, type);
    }
    return { kind: 'list_append', left: args[0], right: args[1] };
  }

  private updateOperandTypeIssue(fn: string, type: string): void {
    this.issue(
      'function',
      `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${type}`,
    );
  }

  // ---- projections ----

  parseProjection(): Path[] {
    const paths = [this.parsePath()];
    this.addPath(paths[0]);
    while (this.isPunct(',')) {
      this.next();
      const path = this.parsePath();
      this.addPath(path);
      paths.push(path);
    }
    return paths;
  }
}

const UPDATE_TYPE_NAMES: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  NULL: 'NULL',
  BOOL: 'BOOLEAN',
  L: 'LIST',
  M: 'MAP',
  SS: 'SS',
  NS: 'NS',
  BS: 'BS',
};

function scalarText(v: AttributeValue): string {
  if ('S' in v) return v.S;
  if ('N' in v) return v.N;
  if ('B' in v) return v.B;
  return JSON.stringify(Object.values(v)[0]);
}

/** The type of an operand when it is known before evaluation (a literal value or size()). */
function operandType(o: Operand): string | undefined {
  if (o.kind === 'value') return typeOf(o.value);
  if (o.kind === 'size') return 'N';
  return undefined;
}

function setValueType(v: SetValue): string | undefined {
  switch (v.kind) {
    case 'value':
      return typeOf(v.value);
    case '+':
    case '-':
      return 'N';
    case 'list_append':
      return 'L';
    case 'if_not_exists':
      return setValueType(v.fallback);
    default:
      return undefined;
  }
}

// ---- public entry points ----

export function parseCondition(
  expr: string,
  ctx: ExpressionContext,
  kind: 'ConditionExpression' | 'FilterExpression' = 'ConditionExpression',
): Condition {
  return parseConditionOf(expr, ctx, kind);
}

function parseConditionOf(expr: string, ctx: ExpressionContext, kind: ExpressionKind): Condition {
  const p = new Parser(expr, kind, ctx);
  const condition = p.parseCondition();
  p.expectEnd();
  p.checkOperatorCount();
  p.throwIssues(CONDITION_PRIORITY);
  return condition;
}

export function parseUpdate(expr: string, ctx: ExpressionContext): UpdateAction[] {
  const p = new Parser(expr, 'UpdateExpression', ctx);
  const actions = p.parseUpdate();
  p.checkOperatorCount();
  p.throwIssues(UPDATE_PRIORITY);
  return actions;
}

export function parseProjection(expr: string, ctx: ExpressionContext): Path[] {
  const p = new Parser(expr, 'ProjectionExpression', ctx);
  const paths = p.parseProjection();
  p.expectEnd();
  p.throwIssues(PROJECTION_PRIORITY);
  return paths;
}

export interface KeySchemaNames {
  partitionKey: string;
  sortKey?: string;
}

export function parseKeyCondition(expr: string, ctx: ExpressionContext, keys: KeySchemaNames): KeyCondition {
  return toKeyCondition(parseConditionOf(expr, ctx, 'KeyConditionExpression'), keys);
}

/** One key attribute's condition, as both KeyConditionExpression and legacy KeyConditions describe it. */
export interface KeyAttributeCondition {
  op: KeyConditionOp;
  values: AttributeValue[];
}

const FLIPPED: Record<string, KeyConditionOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Restricts a parsed condition to what a Query key condition may say, with DynamoDB's messages. */
function toKeyCondition(condition: Condition, keys: KeySchemaNames): KeyCondition {
  const byAttribute = new Map<string, KeyAttributeCondition>();
  const visit = (c: Condition): void => {
    if (c.kind === 'and') {
      visit(c.left);
      visit(c.right);
      return;
    }
    let operands: Operand[];
    let op: KeyConditionOp;
    switch (c.kind) {
      case 'or':
      case 'not':
      case 'in':
        throw validation(`Invalid operator used in KeyConditionExpression: ${c.kind.toUpperCase()}`);
      case 'attribute_exists':
      case 'attribute_not_exists':
      case 'attribute_type':
      case 'contains':
        throw validation(`Invalid operator used in KeyConditionExpression: ${c.kind}`);
      case 'compare':
        if (c.op === '<>') throw validation('Invalid operator used in KeyConditionExpression: <>');
        operands = [c.left, c.right];
        op = c.op;
        break;
      case 'between':
        operands = [c.operand, c.low, c.high];
        op = 'BETWEEN';
        break;
      case 'begins_with':
        operands = [c.operand, c.prefix];
        op = 'BEGINS_WITH';
        break;
    }
    if (operands.some((o) => o.kind === 'size'))
      throw validation('KeyConditionExpressions cannot contain nested operations');
    if ((op === 'BETWEEN' || op === 'BEGINS_WITH') && operands[0].kind !== 'path') {
      const name = op === 'BETWEEN' ? 'BETWEEN' : 'begins_with';
      throw validation(
        `Invalid condition in KeyConditionExpression: ${name} operator must have the key attribute as its first operand`,
      );
    }
    const pathIndexes = operands.flatMap((o, i) => (o.kind === 'path' ? [i] : []));
    if (pathIndexes.length > 1) {
      throw validation('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
    }
    if (pathIndexes.length === 0)
      throw validation('Invalid condition in KeyConditionExpression: No key attribute specified');
    const keyOperand = operands[pathIndexes[0]] as { kind: 'path'; path: Path };
    if (keyOperand.path.length > 1)
      throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
    const name = String(keyOperand.path[0]);
    if (byAttribute.has(name)) throw validation('KeyConditionExpressions must only contain one condition per key');
    if (pathIndexes[0] !== 0) op = FLIPPED[op];
    const values = operands.filter((o) => o.kind === 'value').map((o) => (o as { value: AttributeValue }).value);
    byAttribute.set(name, { op, values });
  };
  visit(condition);
  return keyConditionFromParts(byAttribute, keys);
}

/** Checks per-attribute key conditions against the key schema (shared with legacy KeyConditions). */
export function keyConditionFromParts(
  byAttribute: ReadonlyMap<string, KeyAttributeCondition>,
  keys: KeySchemaNames,
): KeyCondition {
  if (byAttribute.size !== 1 && byAttribute.size !== 2) throw validation('Conditions can be of length 1 or 2 only');
  if (keys.sortKey === undefined && byAttribute.size > 1) throw validation('Query key condition not supported');
  const partition = byAttribute.get(keys.partitionKey);
  if (!partition) throw validation(`Query condition missed key schema element: ${keys.partitionKey}`);
  const sort = keys.sortKey === undefined ? undefined : byAttribute.get(keys.sortKey);
  if (byAttribute.size === 2 && !sort) throw validation(`Query condition missed key schema element: ${keys.sortKey}`);
  if (partition.op !== '=') throw validation('Query key condition not supported');
  return sort ? { partition: partition.values[0], sort } : { partition: partition.values[0] };
}

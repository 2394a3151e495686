// DynamoDB's PartiQL dialect, parsed by recursive descent. Keywords are case-insensitive; identifiers are bare
// words or "double quoted"; strings are 'single quoted'. Nesting is bounded so no statement exhausts the stack.
//
//   statement  = select | insert | update | delete | exists [ ";" ] ;
//   select     = SELECT ( "*" | path { "," path } ) FROM name [ "." name ] [ WHERE expr ]
//                [ ORDER BY name [ ASC | DESC ] { "," name [ ASC | DESC ] } ] ;
//   insert     = INSERT INTO name VALUE expr ;
//   update     = UPDATE name { SET path "=" expr { "," path "=" expr } | REMOVE path { "," path } }-
//                WHERE expr [ returning ] ;
//   delete     = DELETE FROM name WHERE expr [ returning ] ;
//   exists     = EXISTS "(" select ")" ;
//   returning  = RETURNING ( ALL | MODIFIED ) ( OLD | NEW ) "*" ;
//   expr       = and { OR and } ;   and = not { AND not } ;   not = NOT not | predicate ;
//   predicate  = sum [ comparator sum | [ NOT ] BETWEEN sum AND sum | [ NOT ] IN list | IS [ NOT ] type ] ;
//   sum        = unary { ( "+" | "-" ) unary } ;   unary = "-" unary | primary ;
//   primary    = literal | "?" | "(" expr ")" | "[" exprs "]" | "{" 'key' ":" expr { "," … } "}"
//              | "<<" exprs ">>" | word "(" exprs ")" | path | MISSING ;
//   path       = name { "." name | "[" integer "]" | "[" 'key' "]" } ;
import type {
  Comparison,
  DeleteStatement,
  Expr,
  InsertStatement,
  ParsedStatement,
  PathExpr,
  Returning,
  SelectStatement,
  Source,
  Statement,
  UpdateStatement,
} from './ast.js';
import { deleteReturning, MESSAGES, malformed, pqlError } from './messages.js';
import { type Token, tokenize } from './tokenizer.js';

/**
 * Nesting (parentheses, lists, maps, NOT) plus chained operators (`a AND b AND …` builds a tree as deep as the
 * chain is long): more than any statement DynamoDB accepts (its expressions allow 300 operators), little enough
 * that the recursive walks over the tree stay far from the stack's end.
 */
const MAX_DEPTH = 300;

const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'IS',
  'MISSING',
  'NULL',
  'TRUE',
  'FALSE',
  'INSERT',
  'INTO',
  'VALUE',
  'VALUES',
  'UPDATE',
  'SET',
  'REMOVE',
  'DELETE',
  'RETURNING',
  'EXISTS',
  'ORDER',
  'BY',
  'AS',
  'AT',
  'LIMIT',
]);

const COMPARATORS: Record<string, Comparison> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;
  params = 0;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  private get t(): Token {
    return this.tokens[this.i];
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t !== undefined && t.type === 'word' && t.text.toUpperCase() === word;
  }

  private isPunct(p: string): boolean {
    return this.t.type === 'punct' && this.t.text === p;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.i++;
    return true;
  }

  private acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.i++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.fail(`Expected ${word}`);
  }

  private expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.fail(`Expected '${p}'`);
  }

  private fail(detail: string) {
    const t = this.t;
    return malformed(t.type === 'end' ? `${detail} at end of statement` : `${detail}, found '${t.text}'`);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw malformed('Statement nesting is too deep');
  }

  private leave(): void {
    this.depth--;
  }

  /** A bare identifier (not a keyword) or a "quoted" one. */
  private name(what = 'identifier'): string {
    const t = this.t;
    if (t.type === 'quoted' || (t.type === 'word' && !RESERVED.has(t.text.toUpperCase()))) {
      this.i++;
      return t.text;
    }
    throw this.fail(`Expected ${what}`);
  }

  parseStatement(): Statement {
    let statement: Statement;
    if (this.isWord('SELECT')) statement = this.select();
    else if (this.isWord('INSERT')) statement = this.insert();
    else if (this.isWord('UPDATE')) statement = this.update();
    else if (this.isWord('DELETE')) statement = this.delete();
    else if (this.isWord('EXISTS')) {
      this.i++;
      this.expectPunct('(');
      if (!this.isWord('SELECT')) throw this.fail('Expected SELECT');
      const select = this.select();
      this.expectPunct(')');
      statement = { kind: 'exists', select };
    } else throw this.fail('Expected data manipulation');
    this.acceptPunct(';');
    if (this.t.type !== 'end') {
      if (this.isWord('SELECT') || this.isWord('INSERT') || this.isWord('UPDATE') || this.isWord('DELETE'))
        throw pqlError('Only one operation is allowed in a statement.');
      throw malformed('Unexpected token after expression');
    }
    return statement;
  }

  private select(): SelectStatement {
    this.expectWord('SELECT');
    if (this.isWord('VALUE') || this.isWord('PIVOT'))
      throw pqlError("Select projection doesn't support value or pivot keywords");
    let projection: '*' | PathExpr[];
    if (this.acceptPunct('*')) {
      if (this.isPunct(',')) throw pqlError(MESSAGES.starAndOthers);
      projection = '*';
    } else {
      projection = [];
      do {
        if (this.isPunct('*')) throw pqlError(MESSAGES.starAndOthers);
        projection.push(this.path());
        if (this.isWord('AS')) throw pqlError(MESSAGES.aliasing);
      } while (this.acceptPunct(','));
    }
    this.expectWord('FROM');
    const source: Source = { table: this.name('table name') };
    if (this.acceptPunct('.')) source.index = this.name('index name');
    if (
      this.isWord('AS') ||
      (this.t.type === 'word' && !RESERVED.has(this.t.text.toUpperCase())) ||
      this.t.type === 'quoted'
    )
      throw pqlError(MESSAGES.aliasing);
    if (this.isPunct(',')) throw pqlError('Only select from a single table or index is supported.');
    const out: SelectStatement = { kind: 'select', projection, source };
    if (this.acceptWord('WHERE')) out.where = this.expr();
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      out.orderBy = [];
      do {
        const name = this.name('attribute name');
        let descending = false;
        if (this.acceptWord('DESC')) descending = true;
        else this.acceptWord('ASC');
        out.orderBy.push({ name, descending });
      } while (this.acceptPunct(','));
    }
    return out;
  }

  /** The target of INSERT, UPDATE and DELETE: one table, never an index. */
  private dmlTable(): string {
    const table = this.name('table name');
    if (this.isPunct('.'))
      throw pqlError('FROM clause may only contain a single table name in data manipulation statements');
    return table;
  }

  private insert(): InsertStatement {
    this.expectWord('INSERT');
    this.expectWord('INTO');
    const table = this.dmlTable();
    if (this.isWord('VALUES') || this.isWord('SELECT'))
      throw pqlError(
        'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
      );
    this.expectWord('VALUE');
    const value = this.expr();
    if (this.isWord('AT')) throw pqlError('AT is not supported in insert statements.');
    if (this.isWord('RETURNING')) throw pqlError(MESSAGES.returningInsert);
    if (this.isWord('WHERE') || this.isWord('FROM'))
      throw pqlError('Unsupported FROM ... WHERE ... clause in INSERT statement.');
    return { kind: 'insert', table, value };
  }

  private update(): UpdateStatement {
    this.expectWord('UPDATE');
    const out: UpdateStatement = { kind: 'update', table: this.dmlTable(), sets: [], removes: [] };
    for (;;) {
      if (this.acceptWord('SET')) {
        do {
          const path = this.path();
          this.expectPunct('=');
          out.sets.push({ path, value: this.expr() });
        } while (this.acceptPunct(','));
      } else if (this.acceptWord('REMOVE')) {
        do out.removes.push(this.path());
        while (this.acceptPunct(','));
      } else if (this.isWord('ADD') || this.isWord('DELETE')) {
        throw pqlError(MESSAGES.unsupportedUpdateAction);
      } else break;
    }
    if (out.sets.length + out.removes.length === 0) throw this.fail('Expected SET or REMOVE');
    if (!this.acceptWord('WHERE')) throw pqlError(MESSAGES.incompleteKey);
    out.where = this.expr();
    const returning = this.returning();
    if (returning) out.returning = returning;
    return out;
  }

  private delete(): DeleteStatement {
    this.expectWord('DELETE');
    this.expectWord('FROM');
    const out: DeleteStatement = { kind: 'delete', table: this.dmlTable() };
    if (!this.acceptWord('WHERE')) throw pqlError(MESSAGES.incompleteKey);
    out.where = this.expr();
    const returning = this.returning();
    if (returning) {
      if (returning !== 'ALL_OLD') {
        const [which, age] = returning.split('_');
        throw deleteReturning(`${which === 'UPDATED' ? 'MODIFIED' : 'ALL'} ${age} *`);
      }
      out.returning = returning;
    }
    return out;
  }

  private returning(): Returning | undefined {
    if (!this.acceptWord('RETURNING')) return undefined;
    const which = this.acceptWord('ALL') ? 'ALL' : this.acceptWord('MODIFIED') ? 'UPDATED' : undefined;
    const age = this.acceptWord('OLD') ? 'OLD' : this.acceptWord('NEW') ? 'NEW' : undefined;
    if (!which || !age || !this.acceptPunct('*')) {
      throw pqlError("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    }
    if (this.isPunct(',')) throw pqlError('Invalid syntax with multiple returning elements in RETURNING clause');
    return `${which}_${age}` as Returning;
  }

  // ---- expressions --------------------------------------------------------------------------------------------

  expr(): Expr {
    this.enter();
    const depth = this.depth;
    let left = this.and();
    while (this.acceptWord('OR')) {
      this.enter();
      left = { kind: 'or', left, right: this.and() };
    }
    this.depth = depth - 1;
    return left;
  }

  private and(): Expr {
    const depth = this.depth;
    let left = this.not();
    while (this.acceptWord('AND')) {
      this.enter();
      left = { kind: 'and', left, right: this.not() };
    }
    this.depth = depth;
    return left;
  }

  private not(): Expr {
    if (this.acceptWord('NOT')) {
      this.enter();
      const operand = this.not();
      this.leave();
      return { kind: 'not', operand };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.sum();
    const t = this.t;
    if (t.type === 'punct' && Object.hasOwn(COMPARATORS, t.text)) {
      this.i++;
      return { kind: 'compare', op: COMPARATORS[t.text], left, right: this.sum() };
    }
    const negated = this.isWord('NOT') && (this.isWord('BETWEEN', 1) || this.isWord('IN', 1));
    if (negated) this.i++;
    if (this.acceptWord('BETWEEN')) {
      const low = this.sum();
      this.expectWord('AND');
      return { kind: 'between', operand: left, low, high: this.sum(), negated };
    }
    if (this.acceptWord('IN')) {
      const close = this.acceptPunct('[') ? ']' : this.acceptPunct('(') ? ')' : undefined;
      if (!close) throw pqlError(MESSAGES.invalidIn);
      const list = this.exprList(close);
      if (list.length === 0) throw pqlError(MESSAGES.invalidIn);
      return { kind: 'in', operand: left, list, negated };
    }
    if (this.acceptWord('IS')) {
      const isNot = this.acceptWord('NOT');
      const t2 = this.t;
      if (t2.type !== 'word') throw this.fail('Expected type name');
      this.i++;
      return { kind: 'is', operand: left, type: t2.text.toUpperCase(), negated: isNot };
    }
    return left;
  }

  private sum(): Expr {
    const depth = this.depth;
    let left = this.unary();
    for (;;) {
      const op = this.acceptPunct('+') ? '+' : this.acceptPunct('-') ? '-' : undefined;
      if (!op) {
        this.depth = depth;
        return left;
      }
      this.enter();
      left = { kind: 'arith', op, left, right: this.unary() };
    }
  }

  private unary(): Expr {
    if (this.isPunct('-') && this.tokens[this.i + 1]?.type === 'number') {
      this.i++;
      const t = this.t;
      this.i++;
      return { kind: 'literal', value: { N: `-${t.text}` } };
    }
    return this.primary();
  }

  private exprList(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.acceptPunct(close)) return items;
    do items.push(this.expr());
    while (this.acceptPunct(','));
    this.expectPunct(close);
    return items;
  }

  private primary(): Expr {
    const t = this.t;
    switch (t.type) {
      case 'string':
        this.i++;
        return { kind: 'literal', value: { S: t.text } };
      case 'number':
        this.i++;
        return { kind: 'literal', value: { N: t.text } };
      case 'punct':
        return this.punctPrimary(t);
      case 'word': {
        const upper = t.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') {
          this.i++;
          return { kind: 'literal', value: { BOOL: upper === 'TRUE' } };
        }
        if (upper === 'NULL') {
          this.i++;
          return { kind: 'literal', value: { NULL: true } };
        }
        if (upper === 'MISSING') {
          this.i++;
          return { kind: 'missing' };
        }
        if (this.tokens[this.i + 1]?.type === 'punct' && this.tokens[this.i + 1].text === '(') {
          this.i += 2;
          this.enter();
          const args = this.exprList(')');
          this.leave();
          return { kind: 'call', name: t.text.toLowerCase(), args };
        }
        return this.path();
      }
      case 'quoted':
        return this.path();
      default:
        throw this.fail('Expected expression');
    }
  }

  private punctPrimary(t: Token): Expr {
    this.i++;
    switch (t.text) {
      case '?':
        return { kind: 'param', index: this.params++ };
      case '(': {
        const inner = this.expr();
        this.expectPunct(')');
        return inner;
      }
      case '[': {
        this.enter();
        const items = this.exprList(']');
        this.leave();
        return { kind: 'list', items };
      }
      case '<<': {
        this.enter();
        const items = this.exprList('>>');
        this.leave();
        if (items.length === 0) throw pqlError(MESSAGES.emptyBag);
        return { kind: 'bag', items };
      }
      case '{': {
        this.enter();
        const entries: [string, Expr][] = [];
        if (!this.acceptPunct('}')) {
          do {
            const key = this.t;
            if (key.type !== 'string') throw this.fail('Expected a string key in the tuple');
            this.i++;
            this.expectPunct(':');
            entries.push([key.text, this.expr()]);
          } while (this.acceptPunct(','));
          this.expectPunct('}');
        }
        this.leave();
        return { kind: 'map', entries };
      }
      default:
        this.i--;
        throw this.fail('Expected expression');
    }
  }

  path(): PathExpr {
    const steps: PathExpr['steps'] = [this.name('identifier for simple path')];
    for (;;) {
      if (this.acceptPunct('.')) {
        if (this.isPunct('*')) throw pqlError('Unpivot path component like a.*.b are not supported');
        steps.push(this.name('identifier for simple path'));
      } else if (this.acceptPunct('[')) {
        const t = this.t;
        if (t.type === 'number' && /^\d+$/.test(t.text)) {
          const index = Number(t.text);
          if (!Number.isSafeInteger(index))
            throw pqlError(`List index is not within the allowable range; index: [${t.text}]`);
          steps.push(index);
        } else if (t.type === 'string') steps.push(t.text);
        else if (this.isPunct('*')) throw pqlError('Wildcard path component like a[*].b are not supported');
        else throw this.fail('Expected a list index');
        this.i++;
        this.expectPunct(']');
      } else return { kind: 'path', steps };
      if (steps.length > MAX_DEPTH) throw malformed('Statement nesting is too deep');
    }
  }
}

/** Parses one statement; throws ValidationException in DynamoDB's words when it is not one. */
export function parseStatement(text: string): ParsedStatement {
  const p = new Parser(text);
  const statement = p.parseStatement();
  return { statement, parameterCount: p.params };
}

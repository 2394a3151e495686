// Puts the budget into resolver code: a call to the realm's tick function at the top of every function body and
// every loop body, so that whatever resolver code does for long (loops, recursion, callbacks of built-ins, getters,
// iterators) it ticks, and past its deadline every tick throws. Runs on the bundled script, after restrictions.ts;
// it is part of the boundary, so it refuses what would let code run outside an evaluation (async functions, await,
// dynamic import) whatever the static checks said.
import { type Node, parse } from 'acorn';
import { full } from 'acorn-walk';

export class InstrumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstrumentError';
  }
}

interface Insertion {
  at: number;
  text: string;
  /** Closers go before openers at one position; among openers the outer node first, among closers the inner. */
  order: number;
}

type AnyNode = Node & Record<string, any>;

/**
 * `code` must be one function expression (the host's wrapper around a resolver bundle): checking the parse of
 * the whole text means no part of it can run outside the function V8 is handed, and so outside the ticks.
 */
export function instrument(code: string, tick: string): string {
  if (code.includes(tick)) throw new InstrumentError('resolver code uses a reserved name');
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as AnyNode;
  const only = ast.body.length === 1 ? (ast.body[0] as AnyNode) : undefined;
  if (only?.type !== 'ExpressionStatement' || (only.expression as AnyNode).type !== 'FunctionExpression') {
    throw new InstrumentError('resolver code must be one function expression');
  }
  const edits: Insertion[] = [];
  const call = `${tick}();`;
  full(ast, (n) => {
    const node = n as AnyNode;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        if (node.async) throw new InstrumentError('async functions are not supported by the APPSYNC_JS runtime');
        const body = node.body as AnyNode;
        if (body.type === 'BlockStatement') {
          // After the directive prologue: a call before "use strict" would make the function sloppy.
          let at = body.start + 1;
          for (const statement of body.body as AnyNode[]) {
            if (statement.type !== 'ExpressionStatement' || typeof statement.directive !== 'string') break;
            at = statement.end;
          }
          edits.push({ at, text: call, order: -node.end });
        } else {
          edits.push({ at: body.start, text: `(${tick}(), `, order: -body.end });
          edits.push({ at: body.end, text: ')', order: -1e15 - body.start });
        }
        break;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement': {
        if (node.await) throw new InstrumentError('for await is not supported by the APPSYNC_JS runtime');
        const body = node.body as AnyNode;
        edits.push({ at: body.start, text: `{${call}`, order: -body.end });
        edits.push({ at: body.end, text: '}', order: -1e15 - body.start });
        break;
      }
      case 'AwaitExpression':
      case 'ImportExpression':
      case 'MetaProperty':
      case 'WithStatement':
        throw new InstrumentError(`${node.type} is not supported by the APPSYNC_JS runtime`);
    }
  });
  edits.sort((a, b) => a.at - b.at || a.order - b.order);
  let result = '';
  let last = 0;
  for (const e of edits) {
    result += code.slice(last, e.at) + e.text;
    last = e.at;
  }
  return result + code.slice(last);
}

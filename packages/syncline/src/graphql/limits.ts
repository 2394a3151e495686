// AppSync's GraphQL limits, and the structural bounds that keep a hostile document from costing more than its
// answer: every check here runs before validation (graphql-js's overlapping-fields rule is quadratic in the
// fields sharing a response name) and none uses the call stack, so no input can overflow it.
//
// AppSync is built on graphql-java; its depth and complexity refusals are graphql-java's AbortExecutionException
// (errorType ExecutionAborted, "maximum query depth exceeded 9 > 3"), its resolver budget answers
// ResolverExecutionLimitReached and its 30 s bound ExecutionTimeout. See docs/graphql.md, "Limits".
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { AppSyncErrorEntry } from './errors.js';

export interface GraphqlLimits {
  /** 1–75; 0 is off (AppSync's default). */
  queryDepthLimit: number;
  /** Resolver invocations per request (AppSync: at most and by default 10,000). */
  resolverCountLimit: number;
  /** false refuses `__schema` and `__type`, as AppSync's introspectionConfig DISABLED. */
  introspection: boolean;
  /** Field selections per operation, fragments expanded: aliases and repeated fields included. */
  maxSelections: number;
  /** Brackets (`{`, `(`, `[`) open at once anywhere in the document text. */
  maxNesting: number;
  /** Lexical tokens per document (graphql-js's parser bound). */
  maxTokens: number;
  /** AppSync's request execution limit. */
  executionTimeoutMs: number;
}

export const DEFAULT_LIMITS: GraphqlLimits = {
  queryDepthLimit: 0,
  resolverCountLimit: 10_000,
  introspection: true,
  maxSelections: 2_000,
  maxNesting: 150,
  maxTokens: 100_000,
  executionTimeoutMs: 30_000,
};

const aborted = (message: string): AppSyncErrorEntry => ({
  path: null,
  errorType: 'ExecutionAborted',
  locations: null,
  message,
});

export const RESOLVER_LIMIT_ERROR = {
  errorType: 'ResolverExecutionLimitReached',
  message: 'Resolver invocation limit reached.',
};
export const TIMEOUT_ERROR = { errorType: 'ExecutionTimeout', message: 'Execution timed out.' };

/**
 * The deepest bracket nesting in the document text, skipping strings, block strings and comments; stops
 * counting once past `max`. Runs before the parser, which recurses once per level.
 */
export function textNesting(query: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < query.length && query.charCodeAt(i) !== 0x0a && query.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22 /* " */) {
      if (query.startsWith('"""', i)) {
        const end = query.indexOf('"""', i + 3);
        // An escaped \""" does not close a block string.
        let close = end;
        while (close !== -1 && query.charCodeAt(close - 1) === 0x5c) close = query.indexOf('"""', close + 3);
        if (close === -1) return deepest;
        i = close + 2;
      } else {
        i++;
        while (i < query.length && query.charCodeAt(i) !== 0x22 && query.charCodeAt(i) !== 0x0a) {
          if (query.charCodeAt(i) === 0x5c) i++;
          i++;
        }
      }
    } else if (c === 0x7b || c === 0x28 || c === 0x5b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === 0x7d || c === 0x29 || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

export const nestingError = (max: number) =>
  aborted(`maximum query nesting exceeded: more than ${max} levels of brackets`);

/** Selections of one operation with fragments expanded (each fragment costed once, memoized), capped at `cap`. */
export function operationCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  cap: number,
): { selections: number; depth: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, { selections: number; depth: number }>();
  const inProgress = new Set<string>();

  // Post-order over selection sets with an explicit stack; a fragment's cost is computed once, before its users.
  const costOf = (root: SelectionSetNode): { selections: number; depth: number } => {
    type Frame = { set: SelectionSetNode; index: number; selections: number; depth: number; fragment?: string };
    const stack: Frame[] = [{ set: root, index: 0, selections: 0, depth: 0 }];
    let result = { selections: 0, depth: 0 };
    const finish = (frame: Frame) => {
      const done = { selections: Math.min(frame.selections, cap + 1), depth: frame.depth };
      if (frame.fragment !== undefined) {
        memo.set(frame.fragment, done);
        inProgress.delete(frame.fragment);
      }
      return done;
    };
    // A child frame reports to its parent through `pending`: a field adds one level, a fragment none.
    const pending: ('field' | 'inline' | 'fragment')[] = [];
    while (stack.length) {
      const frame = stack[stack.length - 1];
      if (frame.index >= frame.set.selections.length) {
        stack.pop();
        const done = finish(frame);
        const kind = pending.pop();
        const parent = stack[stack.length - 1];
        if (!parent) {
          result = done;
          break;
        }
        parent.selections = Math.min(parent.selections + done.selections, cap + 1);
        parent.depth = Math.max(parent.depth, done.depth + (kind === 'field' ? 1 : 0));
        continue;
      }
      const selection = frame.set.selections[frame.index++];
      if (selection.kind === Kind.FIELD) {
        frame.selections = Math.min(frame.selections + 1, cap + 1);
        frame.depth = Math.max(frame.depth, 1);
        if (selection.selectionSet) {
          pending.push('field');
          stack.push({ set: selection.selectionSet, index: 0, selections: 0, depth: 0 });
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        pending.push('inline');
        stack.push({ set: selection.selectionSet, index: 0, selections: 0, depth: 0 });
      } else {
        const name = selection.name.value;
        const known = memo.get(name);
        if (known) {
          frame.selections = Math.min(frame.selections + known.selections, cap + 1);
          frame.depth = Math.max(frame.depth, known.depth);
          continue;
        }
        const fragment = fragments.get(name);
        // Unknown or cyclic spreads are validation errors; they cost nothing here.
        if (!fragment || inProgress.has(name)) continue;
        inProgress.add(name);
        pending.push('fragment');
        stack.push({ set: fragment.selectionSet, index: 0, selections: 0, depth: 0, fragment: name });
      }
      if (frame.selections > cap) {
        // Past the cap the exact count no longer matters.
        for (const f of stack) if (f.fragment !== undefined) inProgress.delete(f.fragment);
        return { selections: cap + 1, depth: frame.depth };
      }
    }
    return result;
  };
  return costOf(operation.selectionSet);
}

export const depthError = (depth: number, limit: number) => aborted(`maximum query depth exceeded ${depth} > ${limit}`);

export const selectionsError = (count: number, limit: number) =>
  aborted(`maximum query complexity exceeded ${count} > ${limit}`);

/** AppSync with introspection disabled: `__schema` and `__type` are unknown fields (`__typename` stays). */
export const NoIntrospection: ValidationRule = (context: ValidationContext) => ({
  Field(node) {
    const name = node.name.value;
    if (name !== '__schema' && name !== '__type') return;
    const parent = context.getParentType();
    context.reportError(
      new GraphQLError(`Cannot query field "${name}" on type "${parent?.name ?? 'Query'}".`, { nodes: node }),
    );
  },
});

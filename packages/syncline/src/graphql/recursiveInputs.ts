// graphql-jit compiles variable coercion by inlining each input type's fields into the generated code, with no
// cycle check (graphql-jit issue #81, open): a variable of a recursive input type never finishes compiling. Every
// Amplify schema has one (`ModelBlogFilterInput` holds itself in `and`, `or` and `not`) and Amplify's clients pass
// filters as variables, so such operations run on graphql-js's executor instead (docs/graphql.md).
import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isInputObjectType,
  type OperationDefinitionNode,
  typeFromAST,
} from 'graphql';
import type { CompiledQuery } from 'graphql-jit';

const recursive = new WeakMap<GraphQLInputType, boolean>();

/** Whether an input type reaches itself (or another cycle) through its fields. */
function reachesCycle(type: GraphQLInputType): boolean {
  const named = getNamedType(type);
  if (!isInputObjectType(named)) return false;
  const known = recursive.get(named);
  if (known !== undefined) return known;
  const onPath = new Set<unknown>();
  const visit = (t: GraphQLInputType): boolean => {
    const n = getNamedType(t);
    if (!isInputObjectType(n)) return false;
    if (onPath.has(n)) return true;
    if (recursive.get(n) === false) return false;
    onPath.add(n);
    const found = Object.values(n.getFields()).some((f) => visit(f.type));
    onPath.delete(n);
    if (!found) recursive.set(n, false);
    return found;
  };
  const result = visit(named);
  recursive.set(named, result);
  return result;
}

export function hasRecursiveVariable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).some((d) => {
    const type = typeFromAST(schema, d.type as Parameters<typeof typeFromAST>[1]) as GraphQLInputType | undefined;
    return type !== undefined && reachesCycle(type);
  });
}

/** graphql-js's executor behind graphql-jit's interface: same resolvers, same result shape. */
export function interpretedQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
): CompiledQuery {
  return {
    operationName,
    query: (rootValue, contextValue, variableValues) => {
      const result = execute({ schema, document, rootValue, contextValue, variableValues, operationName });
      if (result instanceof Promise || result.data !== undefined || !result.errors) return result;
      // Variables refused before execution: reported without an original error, as graphql-jit's are.
      return { errors: result.errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, source: e.source })) };
    },
    stringify: JSON.stringify,
  };
}

// Variables arrive as JSON objects from clients. Both graphql-js and graphql-jit coerce input objects by reading
// `value[fieldName]`, so on a plain object an omitted field named `constructor`, `toString` or `prototype` reads
// Object.prototype's member and a valid request is refused. Copying the objects onto null prototypes makes every
// name read only what the client sent; JSON.parse already keeps a `__proto__` key as an own property.

/** Objects nested deeper than this are passed on as they are; no input type in practice nests this far. */
const MAX_COPY_DEPTH = 64;

export function nullPrototypeVariables(variables: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!variables) return Object.create(null);
  return copy(variables, 0) as Record<string, unknown>;
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_COPY_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => copy(v, depth + 1));
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

// Builds an AppSync API schema: AppSync's directives and scalars are implicit, `Query` is mandatory, and
// `@aws_subscribe` links subscription fields to the mutations that trigger them.
import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  type DocumentNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  valueFromASTUntyped,
} from 'graphql';
import { AWS_DIRECTIVE_SDL, AWS_SCALAR_SDL } from './awsDefinitions.js';
import { awsScalars } from './scalars.js';

/** A schema AppSync would refuse to create. */
export class SchemaError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'SchemaError';
  }
}

export interface ApiSchema {
  schema: GraphQLSchema;
  /** Mutation field name → subscription field names whose `@aws_subscribe` lists it. */
  subscriptionsByMutation: Map<string, string[]>;
  /** Subscription field name → the mutation fields it listens to. */
  mutationsBySubscription: Map<string, string[]>;
}

export function loadApiSchema(files: string[]): ApiSchema {
  const sources = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  return buildApiSchema(sources);
}

export function buildApiSchema(sources: { file?: string; text: string }[]): ApiSchema {
  const documents: DocumentNode[] = sources.map(({ file, text }) => {
    try {
      return parse(text, { noLocation: false });
    } catch (error) {
      const e = error as GraphQLError;
      const at = e.locations?.[0];
      throw new SchemaError(`${e.message}${at ? ` (line ${at.line}, column ${at.column})` : ''}`, file);
    }
  });
  const definitions = documents.flatMap((d) => d.definitions);

  const reserved = new Set(Object.keys(awsScalars));
  for (const def of definitions) {
    if ('name' in def && def.name && def.kind !== Kind.DIRECTIVE_DEFINITION && /^AWS/.test(def.name.value)) {
      const detail = reserved.has(def.name.value)
        ? 'is an AppSync scalar and is defined implicitly'
        : 'uses the reserved prefix AWS';
      throw new SchemaError(`Type name ${def.name.value} ${detail}; custom type names may not start with AWS`);
    }
    if (def.kind === Kind.SCALAR_TYPE_DEFINITION) {
      throw new SchemaError(`Custom scalars are not supported by AppSync: scalar ${def.name.value}`);
    }
  }

  const schemaDef = definitions.find((d) => d.kind === Kind.SCHEMA_DEFINITION);
  if (schemaDef && schemaDef.kind === Kind.SCHEMA_DEFINITION) {
    if (!schemaDef.operationTypes.some((op) => op.operation === 'query')) {
      throw new SchemaError("A schema MUST have a 'query' operation defined.");
    }
  } else if (!definitions.some((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query')) {
    throw new SchemaError('There is no top level schema object defined.');
  }

  const implicit = parse(`${AWS_SCALAR_SDL}\n${AWS_DIRECTIVE_SDL}`);
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema({ kind: Kind.DOCUMENT, definitions: [...implicit.definitions, ...definitions] });
  } catch (error) {
    throw new SchemaError((error as Error).message);
  }

  // buildASTSchema creates placeholder scalars; give them AppSync's parsing and serialization.
  for (const [name, impl] of Object.entries(awsScalars)) {
    const type = schema.getType(name);
    if (type && isScalarType(type)) {
      type.serialize = impl.serialize;
      type.parseValue = impl.parseValue;
      type.parseLiteral = impl.parseLiteral;
    }
  }

  ownFieldsOnly(schema);
  return { schema, ...subscriptionLinks(schema) };
}

/**
 * A resolver's result is JSON-like data: a field it did not set is null. The default resolver reads
 * `source[name]`, so a field named like an Object.prototype member (`constructor`, `toString`, ...) would read the
 * inherited function instead; those fields read own properties only.
 */
function ownFieldsOnly(schema: GraphQLSchema) {
  const inherited = new Set(Object.getOwnPropertyNames(Object.prototype));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!inherited.has(field.name) || field.resolve) continue;
      const name = field.name;
      field.resolve = (source) =>
        typeof source === 'object' && source !== null && Object.hasOwn(source, name)
          ? (source as Record<string, unknown>)[name]
          : null;
    }
  }
}

function subscriptionLinks(schema: GraphQLSchema): Omit<ApiSchema, 'schema'> {
  const subscriptionsByMutation = new Map<string, string[]>();
  const mutationsBySubscription = new Map<string, string[]>();
  const subscription = schema.getSubscriptionType();
  const mutation = schema.getMutationType();
  if (!subscription) return { subscriptionsByMutation, mutationsBySubscription };
  for (const field of Object.values(subscription.getFields())) {
    const mutations = awsSubscribeMutations(field);
    if (!mutations) continue;
    for (const name of mutations) {
      const target = mutation?.getFields()[name];
      if (!target) {
        throw new SchemaError(
          `@aws_subscribe on Subscription.${field.name} lists mutation "${name}", which is not a field of the Mutation type`,
        );
      }
      if (getNamedType(target.type) !== getNamedType(field.type)) {
        throw new SchemaError(
          `Subscription.${field.name} returns ${String(field.type)} but its mutation ${name} returns ${String(target.type)}; ` +
            'a subscription must return the type of the mutations it subscribes to',
        );
      }
      subscriptionsByMutation.set(name, [...(subscriptionsByMutation.get(name) ?? []), field.name]);
    }
    mutationsBySubscription.set(field.name, mutations);
  }
  return { subscriptionsByMutation, mutationsBySubscription };
}

function awsSubscribeMutations(field: GraphQLField<unknown, unknown>): string[] | undefined {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
  const arg = directive?.arguments?.find((a) => a.name.value === 'mutations');
  if (!arg) return undefined;
  const value = valueFromASTUntyped(arg.value);
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** The names of AppSync's auth directives present on a type or field definition. */
export function authDirectiveNames(node: { astNode?: { directives?: readonly { name: { value: string } }[] } | null }) {
  return (node.astNode?.directives ?? [])
    .map((d) => d.name.value)
    .filter((n) => n.startsWith('aws_') && n !== 'aws_subscribe');
}

export { isObjectType };

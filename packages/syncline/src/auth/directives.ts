// AppSync's multi-auth directives. A field's own auth directives win over its type's; with neither, only the
// API's default mode may read it. A field the request's mode may not read resolves to null with an
// `Unauthorized` error, and the rest of the response is still returned.
import { defaultFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import type { AuthType } from '../app/model.js';
import type { RequestContext } from '../graphql/requestContext.js';
import { ResolverError } from '../resolvers/signals.js';

const DIRECTIVE_MODES: Record<string, AuthType> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

type Directed = { astNode?: { directives?: readonly { name: { value: string } }[] } | null };

function modesOf(node: Directed): AuthType[] {
  return (node.astNode?.directives ?? []).flatMap((d) => DIRECTIVE_MODES[d.name.value] ?? []);
}

/** Wraps every field that some enabled mode may not read; fields open to every enabled mode stay untouched. */
export function applyAuthDirectives(schema: GraphQLSchema, defaultMode: AuthType, enabled: AuthType[]): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeModes = modesOf(type);
    for (const field of Object.values(type.getFields())) {
      const fieldModes = modesOf(field);
      const allowed = new Set(fieldModes.length ? fieldModes : typeModes.length ? typeModes : [defaultMode]);
      if (enabled.every((m) => allowed.has(m))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const message = `Not Authorized to access ${field.name} on type ${type.name}`;
      field.resolve = (source, args, context: RequestContext, info) => {
        if (!allowed.has(context.auth.mode)) throw new ResolverError(message, 'Unauthorized');
        return resolve(source, args, context, info);
      };
    }
  }
}

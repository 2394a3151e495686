// AppSync's multi-auth directives. A field's own auth directives win over its type's; with neither, only the
// API's default mode may read it. A field the request's mode may not read resolves to null with an
// `Unauthorized` error, and the rest of the response is still returned. On top of the mode:
// - `cognito_groups` on `@aws_cognito_user_pools` / `@aws_auth` admits only users in one of the groups;
// - a default user pool with defaultAction DENY admits its users only where a user-pool directive names them
//   explicitly (AppSync allows DENY only when the user pool is the sole provider);
// - a Lambda authorizer's `deniedFields` are Unauthorized for that caller.
import { type ConstDirectiveNode, defaultFieldResolver, type GraphQLSchema, isObjectType, Kind } from 'graphql';
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

export interface AuthRules {
  defaultMode: AuthType;
  enabled: AuthType[];
  /** The default user pool's defaultAction. */
  userPoolDefaultAction?: 'ALLOW' | 'DENY';
}

type Directed = { astNode?: { directives?: readonly ConstDirectiveNode[] } | null };

/** Mode → the groups it is limited to (null: any caller of that mode). */
type Grants = Map<AuthType, readonly string[] | null>;

function groupsArgument(directive: ConstDirectiveNode): string[] | null {
  const arg = directive.arguments?.find((a) => a.name.value === 'cognito_groups');
  if (!arg) return null;
  const value = arg.value;
  if (value.kind === Kind.LIST) return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
  return value.kind === Kind.STRING ? [value.value] : null;
}

function grantsOf(node: Directed): Grants {
  const grants: Grants = new Map();
  for (const directive of node.astNode?.directives ?? []) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (!mode) continue;
    const groups = groupsArgument(directive);
    const previous = grants.get(mode);
    // Two user-pool directives on one element: either admits (the union of their groups, or everyone).
    grants.set(
      mode,
      previous === undefined ? groups : previous === null || groups === null ? null : [...previous, ...groups],
    );
  }
  return grants;
}

/** Whether a caller may read `Type.field`; subscriptions ask it at subscribe time for every field they select. */
export type FieldAccess = (typeName: string, fieldName: string, auth: RequestContext['auth']) => boolean;

/**
 * Wraps every field that some caller may be refused; fields open to every caller of every mode stay untouched.
 * Returns the same decision as a function, for selections that are checked without being executed.
 */
export function applyAuthDirectives(schema: GraphQLSchema, rules: AuthRules): FieldAccess {
  const checks = new Map<string, (auth: RequestContext['auth']) => boolean>();
  const { defaultMode, enabled } = rules;
  const lambdaEnabled = enabled.includes('AWS_LAMBDA');
  const denyByDefault = defaultMode === 'AMAZON_COGNITO_USER_POOLS' && rules.userPoolDefaultAction === 'DENY';
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeGrants = grantsOf(type);
    for (const field of Object.values(type.getFields())) {
      const fieldGrants = grantsOf(field);
      const explicit = fieldGrants.size ? fieldGrants : typeGrants.size ? typeGrants : undefined;
      const grants: Grants = explicit ?? new Map([[defaultMode, null]]);
      // DENY: a user-pool caller needs a user-pool directive on the field or its type.
      if (denyByDefault && !explicit) grants.delete('AMAZON_COGNITO_USER_POOLS');
      const restricted =
        lambdaEnabled || !enabled.every((m) => grants.has(m)) || [...grants.values()].some((g) => g !== null);
      if (!restricted) continue;

      const key = `${type.name}.${field.name}`;
      const resolve = field.resolve ?? defaultFieldResolver;
      const message = `Not Authorized to access ${field.name} on type ${type.name}`;
      const allowed = (auth: RequestContext['auth']) => {
        const groups = grants.get(auth.mode);
        return (
          groups !== undefined &&
          (groups === null || groups.some((g) => auth.groups?.includes(g))) &&
          !auth.deniedFields?.has(key)
        );
      };
      checks.set(key, allowed);
      field.resolve = (source, args, context: RequestContext, info) => {
        if (!allowed(context.auth)) throw new ResolverError(message, 'Unauthorized');
        return resolve(source, args, context, info);
      };
    }
  }
  return (typeName, fieldName, auth) => checks.get(`${typeName}.${fieldName}`)?.(auth) ?? true;
}

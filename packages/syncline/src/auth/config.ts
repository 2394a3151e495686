// The `config` of each authentication provider in syncline.config.ts, checked when the app loads. Keys follow
// AppSync's UserPoolConfig, OpenIDConnectConfig and LambdaAuthorizerConfig; the JWKS overrides (`issuer`, `jwksUri`,
// `jwksFile`) and IAM `credentials` are Syncline's, because a local server cannot ask AWS for them.
import { z } from 'zod';
import type { AuthType } from '../app/model.js';

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

const url = z.url({ protocol: /^https?$/ });

const jwksSource = {
  /** Where the signing keys are published; default `<issuer>/.well-known/jwks.json` (or OIDC discovery). */
  jwksUri: url.optional(),
  /** A JWKS JSON file, relative to the app folder: for offline development and tests. */
  jwksFile: z.string().min(1).optional(),
};

export const userPoolConfigSchema = z
  .strictObject({
    userPoolId: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$|^[\w-]+$/, 'userPoolId looks like us-east-1_AbCdEf123'),
    awsRegion: z.string().min(1).optional(),
    defaultAction: z.enum(['ALLOW', 'DENY']).default('ALLOW'),
    appIdClientRegex: regex.optional(),
    /** Overrides `https://cognito-idp.<awsRegion>.amazonaws.com/<userPoolId>`, e.g. Syncline's local issuer. */
    issuer: url.optional(),
    ...jwksSource,
  })
  .refine((c) => !(c.jwksUri && c.jwksFile), { message: 'give jwksUri or jwksFile, not both' });

export const openIdConnectConfigSchema = z
  .strictObject({
    issuer: url,
    /** A regular expression the token's audience (or `client_id`) must match. */
    clientId: regex.optional(),
    /** Milliseconds a token is accepted after `iat`; 0 = no limit. */
    iatTTL: z.number().int().nonnegative().default(0),
    /** Milliseconds a token is accepted after `auth_time`; 0 = no limit. */
    authTTL: z.number().int().nonnegative().default(0),
    ...jwksSource,
  })
  .refine((c) => !(c.jwksUri && c.jwksFile), { message: 'give jwksUri or jwksFile, not both' });

export const lambdaAuthorizerConfigSchema = z.strictObject({
  /** The key of the authorizer under `functions`. */
  functionName: z.string().min(1),
  /** AppSync's default is 0: no caching unless the function returns `ttlOverride`. */
  authorizerResultTtlInSeconds: z.number().int().min(0).max(3600).default(0),
  /** Tokens not matching it are refused without invoking the function. */
  identityValidationExpression: regex.optional(),
});

export const iamCredentialSchema = z.strictObject({
  accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, 'an access key id is 16 to 128 upper-case letters and digits'),
  secretAccessKey: z.string().min(1),
  /** Temporary credentials: requests must carry it as `x-amz-security-token`. */
  sessionToken: z.string().min(1).optional(),
  /** Reported as `ctx.identity.userArn`; its account becomes `ctx.identity.accountId`. */
  userArn: z
    .string()
    .regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:.+$/, 'userArn is an IAM or STS ARN')
    .optional(),
});

export const iamConfigSchema = z.strictObject({
  credentials: z.array(iamCredentialSchema).default([]),
});

export type UserPoolConfig = z.output<typeof userPoolConfigSchema>;
export type OpenIdConnectConfig = z.output<typeof openIdConnectConfigSchema>;
export type LambdaAuthorizerConfig = z.output<typeof lambdaAuthorizerConfigSchema>;
export type IamCredential = z.output<typeof iamCredentialSchema>;
export type IamConfig = z.output<typeof iamConfigSchema>;

/** The parsed config of each mode; API_KEY has none (its keys live under `graphql.apiKeys`). */
export interface AuthConfigs {
  API_KEY: Record<string, never>;
  AWS_IAM: IamConfig;
  AMAZON_COGNITO_USER_POOLS: UserPoolConfig;
  OPENID_CONNECT: OpenIdConnectConfig;
  AWS_LAMBDA: LambdaAuthorizerConfig;
}

const SCHEMAS: { [M in AuthType]: z.ZodType<AuthConfigs[M]> } = {
  API_KEY: z.strictObject({}) as unknown as z.ZodType<Record<string, never>>,
  AWS_IAM: iamConfigSchema,
  AMAZON_COGNITO_USER_POOLS: userPoolConfigSchema as z.ZodType<UserPoolConfig>,
  OPENID_CONNECT: openIdConnectConfigSchema as z.ZodType<OpenIdConnectConfig>,
  AWS_LAMBDA: lambdaAuthorizerConfigSchema,
};

/** Modes that cannot work without settings. */
const REQUIRES_CONFIG = new Set<AuthType>(['AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA']);

export type ConfigIssue = { path: string; message: string };

/** Parses one provider's `config`; issues carry a path relative to `config`. */
export function parseAuthConfig<M extends AuthType>(
  mode: M,
  config: unknown,
): { ok: true; config: AuthConfigs[M] } | { ok: false; issues: ConfigIssue[] } {
  if (config === undefined && REQUIRES_CONFIG.has(mode)) {
    return { ok: false, issues: [{ path: '', message: `${mode} needs a config` }] };
  }
  const result = SCHEMAS[mode].safeParse(config ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}

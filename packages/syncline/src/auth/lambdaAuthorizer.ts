// AWS_LAMBDA: a function decides. AppSync invokes it with the token, the operation and the request headers, and
// reads back `isAuthorized`, `resolverContext` (→ ctx.identity.resolverContext), `deniedFields` (read as null)
// and `ttlOverride`. Answers are cached per token for the configured TTL or the function's override.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FunctionRuntime } from '../functions/types.js';
import { unauthorizedRequest } from '../graphql/errors.js';
import type { RequestAuth } from '../graphql/requestContext.js';
import type { LambdaAuthorizerConfig } from './config.js';

export interface LambdaAuthorizerEnvironment {
  region: string;
  accountId: string;
  apiId: string;
  functions: () => FunctionRuntime | undefined;
  now?: () => number;
  /** AppSync gives the authorizer 10 seconds. */
  timeoutMs?: number;
}

export interface AuthorizerRequest {
  token: string;
  headers: Record<string, string | undefined>;
  operation?: { query: string; operationName: string | null; variables: Record<string, unknown> | null };
}

const responseSchema = z.object({
  isAuthorized: z.boolean(),
  resolverContext: z.record(z.string(), z.unknown()).nullish(),
  deniedFields: z.array(z.string()).nullish(),
  ttlOverride: z.number().int().min(0).max(3600).nullish(),
});

/** AppSync's limit on the Authorization header in this mode. */
const MAX_TOKEN_LENGTH = 2048;
/** Bounds memory when many distinct tokens arrive; the oldest entries go first. */
const MAX_CACHED = 10_000;
const FIELD_ARN = /^arn:aws[\w-]*:appsync:[^:]*:[^:]*:apis\/[^/]+\/types\/([^/]+)\/fields\/([^/]+)$/;

type Decision = { auth: RequestAuth } | { refused: string };

/** `Type.field` or a field ARN → `Type.field`. */
export function deniedFieldKey(entry: string): string {
  const arn = FIELD_ARN.exec(entry);
  return arn ? `${arn[1]}.${arn[2]}` : entry;
}

export function lambdaAuthorizer(config: LambdaAuthorizerConfig, env: LambdaAuthorizerEnvironment) {
  const validation = config.identityValidationExpression
    ? new RegExp(`^(?:${config.identityValidationExpression})$`)
    : undefined;
  const cache = new Map<string, { until: number; decision: Decision }>();
  const now = () => env.now?.() ?? Date.now();

  const invoke = async (request: AuthorizerRequest): Promise<{ decision: Decision; ttl: number }> => {
    const runtime = env.functions();
    if (!runtime) return { decision: { refused: 'no functions runtime' }, ttl: 0 };
    const event = {
      authorizationToken: request.token,
      requestContext: {
        apiId: env.apiId,
        accountId: env.accountId,
        requestId: randomUUID(),
        queryString: request.operation?.query ?? '',
        operationName: request.operation?.operationName ?? undefined,
        variables: request.operation?.variables ?? {},
      },
      requestHeaders: Object.fromEntries(Object.entries(request.headers).filter(([, v]) => v !== undefined)),
    };
    const timeoutMs = env.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((ok) => {
      timer = setTimeout(() => ok('timeout'), timeoutMs);
    });
    const result = await Promise.race([
      runtime.invoke(config.functionName, event, { trigger: 'resolver' }),
      timeout,
    ]).finally(() => clearTimeout(timer));
    // Failures are not cached: the next request asks the function again.
    if (result === 'timeout') return { decision: { refused: `authorizer timed out after ${timeoutMs} ms` }, ttl: 0 };
    if (!result.ok) return { decision: { refused: `authorizer failed: ${result.error.errorMessage}` }, ttl: 0 };
    const parsed = responseSchema.safeParse(result.payload);
    if (!parsed.success) return { decision: { refused: 'authorizer response is not { isAuthorized, ... }' }, ttl: 0 };
    const response = parsed.data;
    const ttl = response.ttlOverride ?? config.authorizerResultTtlInSeconds;
    if (!response.isAuthorized) return { decision: { refused: 'authorizer returned isAuthorized: false' }, ttl };
    return {
      ttl,
      decision: {
        auth: {
          mode: 'AWS_LAMBDA',
          identity: { resolverContext: response.resolverContext ?? {} },
          deniedFields: new Set((response.deniedFields ?? []).map(deniedFieldKey)),
        },
      },
    };
  };

  return async (request: AuthorizerRequest): Promise<RequestAuth> => {
    const { token } = request;
    if (token.length > MAX_TOKEN_LENGTH) throw unauthorizedRequest('authorization token over 2048 characters');
    if (validation && !validation.test(token)) throw unauthorizedRequest('token fails identityValidationExpression');
    const cached = cache.get(token);
    let decision: Decision;
    if (cached && cached.until > now()) {
      decision = cached.decision;
    } else {
      const fresh = await invoke(request);
      decision = fresh.decision;
      cache.delete(token);
      if (fresh.ttl > 0) {
        cache.set(token, { until: now() + fresh.ttl * 1000, decision });
        if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
      }
    }
    if ('refused' in decision) throw unauthorizedRequest(decision.refused);
    return decision.auth;
  };
}

// POST /_console/api/sign: SigV4 headers for an AppSync request, so the explorer's IAM mode works from a browser
// that holds no AWS keys. It signs with the credentials the functions are given (what a function calling the API
// signs with, and what the API's AWS_IAM mode accepts); an app without functions signs with the first credential
// its AWS_IAM mode declares.
import { SignatureV4 } from '@smithy/signature-v4';
import type { AppModel } from '../app/model.js';
import { type IamConfig, parseAuthConfig } from '../auth/config.js';
import { NodeSha256 } from '../datasources/sha256.js';
import type { LocalFunctionRuntime } from '../functions/index.js';
import { badRequest, isObject, notFound } from './http.js';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export async function signRequest(
  app: AppModel,
  runtime: LocalFunctionRuntime,
  input: unknown,
): Promise<{ headers: Record<string, string>; signedAs: string }> {
  if (!isObject(input) || typeof input.url !== 'string')
    throw badRequest('sign expects { url, method, headers, body }.');
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw badRequest('url is not an absolute URL.');
  }
  const method = typeof input.method === 'string' ? input.method.toUpperCase() : 'POST';
  const headers: Record<string, string> = {};
  if (input.headers !== undefined && !isObject(input.headers)) throw badRequest('headers is an object of strings.');
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (typeof value !== 'string') throw badRequest(`header ${name} is not a string.`);
    headers[name.toLowerCase()] = value;
  }
  headers.host = url.host;
  const body =
    typeof input.body === 'string' ? input.body : input.body === undefined ? undefined : JSON.stringify(input.body);
  const { credentials, name } = signingCredentials(
    app,
    runtime,
    typeof input.function === 'string' ? input.function : undefined,
  );
  const signer = new SignatureV4({ service: 'appsync', region: app.region, credentials, sha256: NodeSha256 });
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prior = query[k];
    query[k] = prior === undefined ? v : [...(Array.isArray(prior) ? prior : [prior]), v];
  }
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query,
    headers,
    body,
  });
  return { headers: signed.headers as Record<string, string>, signedAs: name };
}

function signingCredentials(
  app: AppModel,
  runtime: LocalFunctionRuntime,
  functionName: string | undefined,
): { credentials: Credentials; name: string } {
  const all = runtime.credentials();
  const chosen = functionName ? all.find((c) => c.functionName === functionName) : all[0];
  if (functionName && !chosen) throw notFound(`Function not found: ${functionName}`);
  if (chosen) {
    const { accessKeyId, secretAccessKey, sessionToken } = chosen;
    return { credentials: { accessKeyId, secretAccessKey, sessionToken }, name: chosen.assumedRoleArn };
  }
  const providers = app.graphql ? [app.graphql.authentication, ...app.graphql.additionalAuthentications] : [];
  const iam = providers.find((p) => p.type === 'AWS_IAM');
  const parsed = iam && parseAuthConfig('AWS_IAM', iam.config);
  const declared = parsed?.ok ? (parsed.config as IamConfig).credentials[0] : undefined;
  if (!declared)
    throw notFound('No credentials to sign with: the app has no functions and its AWS_IAM mode declares none.');
  return {
    credentials: {
      accessKeyId: declared.accessKeyId,
      secretAccessKey: declared.secretAccessKey,
      sessionToken: declared.sessionToken,
    },
    name: declared.userArn ?? declared.accessKeyId,
  };
}

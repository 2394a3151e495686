// AWS_IAM: a request signed with SigV4 for service `appsync` in the app's region, by one of the credentials the
// app configures or the ones Syncline injects into its functions. AppSync would then evaluate IAM policies on
// `appsync:GraphQL`; Syncline has no IAM, so a valid signature by a known credential is the whole check.
import { RequestError } from '../graphql/errors.js';
import type { RequestAuth } from '../graphql/requestContext.js';
import type { IamConfig, IamCredential } from './config.js';
import { type SignedRequest, type SigV4Failure, verifySigV4 } from './sigv4.js';

export interface IamEnvironment {
  region: string;
  /** Reported for credentials without a userArn. */
  accountId: string;
  /** Credentials known besides the configured ones (the functions' injected credentials, with their role). */
  credentials?: () => readonly (IamCredential & { assumedRoleArn?: string })[];
  now?: () => number;
}

// AppSync answers signature problems with 403 and the error names of AWS's request authentication layer.
const ERROR_TYPES: Record<SigV4Failure, string> = {
  missing: 'MissingAuthenticationTokenException',
  incomplete: 'IncompleteSignatureException',
  unrecognized: 'UnrecognizedClientException',
  scope: 'InvalidSignatureException',
  expired: 'InvalidSignatureException',
  payload: 'InvalidSignatureException',
  signature: 'InvalidSignatureException',
};

export function iamAuthenticator(config: IamConfig, env: IamEnvironment) {
  const configured = new Map(config.credentials.map((c) => [c.accessKeyId, c]));
  const lookup = (accessKeyId: string) =>
    configured.get(accessKeyId) ?? env.credentials?.().find((c) => c.accessKeyId === accessKeyId);

  /** Verifies the signature over `request`; the realtime adapters pass the request AppSync defines as signed. */
  return (request: SignedRequest, sourceIp: string[]): RequestAuth => {
    const result = verifySigV4(request, { service: 'appsync', region: env.region, lookup, now: env.now?.() });
    if (!result.ok) throw new RequestError(403, ERROR_TYPES[result.failure], result.message, result.message);
    const { accessKeyId } = result.credential;
    // A function's credentials stand for its execution role, assumed with the function's name as session.
    const userArn = result.credential.userArn ?? (result.credential as { assumedRoleArn?: string }).assumedRoleArn;
    const accountId = userArn?.split(':')[4] ?? env.accountId;
    return {
      mode: 'AWS_IAM',
      identity: {
        accountId,
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp,
        username: accessKeyId,
        userArn: userArn ?? `arn:aws:iam::${accountId}:user/${accessKeyId}`,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      },
    };
  };
}

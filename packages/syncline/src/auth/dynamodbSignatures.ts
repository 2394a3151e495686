// Optional SigV4 check on the DynamoDB API (createServer's `verifyDynamoDBSignatures`, CLI
// `--verify-dynamodb-signatures`): requests must be signed for service `dynamodb` in the app's region by a known
// credential, and failures come back as DynamoDB's own errors. Off by default, like DynamoDB Local, because
// most local tools sign with whatever dummy credentials they have.
import type { AppModel } from '../app/model.js';
import { type IamConfig, type IamCredential, parseAuthConfig } from './config.js';
import { type SignedRequest, type SigV4Failure, verifySigV4 } from './sigv4.js';

export interface DynamoDBAuthError {
  status: number;
  body: string;
}

const TYPES: Record<SigV4Failure, string> = {
  missing: 'MissingAuthenticationTokenException',
  incomplete: 'IncompleteSignatureException',
  unrecognized: 'UnrecognizedClientException',
  scope: 'InvalidSignatureException',
  expired: 'InvalidSignatureException',
  payload: 'InvalidSignatureException',
  signature: 'InvalidSignatureException',
};

/** The credentials an app accepts: its AWS_IAM provider's list, plus those given by the server (functions'). */
export function appCredentials(app: AppModel): IamCredential[] {
  const providers = app.graphql ? [app.graphql.authentication, ...app.graphql.additionalAuthentications] : [];
  const iam = providers.find((p) => p.type === 'AWS_IAM');
  if (!iam) return [];
  const parsed = parseAuthConfig('AWS_IAM', iam.config);
  return parsed.ok ? (parsed.config as IamConfig).credentials : [];
}

export function dynamodbSignatureVerifier(options: {
  app: () => AppModel;
  credentials?: () => readonly IamCredential[];
  now?: () => number;
}) {
  return (request: SignedRequest): DynamoDBAuthError | undefined => {
    const app = options.app();
    const known = [...appCredentials(app), ...(options.credentials?.() ?? [])];
    const result = verifySigV4(request, {
      service: 'dynamodb',
      region: app.region,
      lookup: (id) => known.find((c) => c.accessKeyId === id),
      now: options.now?.(),
    });
    if (result.ok) return undefined;
    const type = TYPES[result.failure];
    // DynamoDB's error table lists every authentication failure with status 400, in coral's namespace.
    return {
      status: 400,
      body: JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message: result.message }),
    };
  };
}

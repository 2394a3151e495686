// The door of every AWS JSON API Syncline serves (DynamoDB, DynamoDB Streams, and each one added after them):
// verify the SigV4 signature, identify the credential, and evaluate the IAM policies attached to it against every
// action and resource the request needs. Failures come back as the errors AWS services return for them, in
// coral's namespace with status 400. `syncline start` requires it; `syncline dev` leaves the door open, like
// DynamoDB Local (docs/auth.md).
import type { AppModel } from '../app/model.js';
import { accessDeniedMessage } from './accessDenied.js';
import type { RequestScope } from './awsRequestScope.js';
import { type IamConfig, parseAuthConfig } from './config.js';
import { evaluatePolicies, type PolicyDocument } from './policy.js';
import { type SignedRequest, type SigningCredential, type SigV4Failure, verifySigV4 } from './sigv4.js';

/** A credential the door recognizes: who it is (for AccessDenied messages) and what it may do. */
export interface DoorPrincipal extends SigningCredential {
  arn: string;
  policies: readonly PolicyDocument[];
}

/** An AWS error as the service would return it; the server's dispatcher serializes it. */
export interface DoorRefusal {
  type: string;
  message: string;
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

export interface AwsApiDoor {
  /** Undefined lets the request in; `scopes` is asked only once the signature holds (it parses the body). */
  check(request: SignedRequest, signingName: string, scopes: () => RequestScope[]): DoorRefusal | undefined;
}

export function awsApiDoor(options: {
  region: () => string;
  /** The credential with this access key id, among those recognized now; asked per request, so reloads apply. */
  lookup: (accessKeyId: string) => DoorPrincipal | undefined;
  now?: () => number;
}): AwsApiDoor {
  const { lookup } = options;
  return {
    check(request, signingName, scopes) {
      const verified = verifySigV4(request, {
        service: signingName,
        region: options.region(),
        lookup,
        now: options.now?.(),
      });
      if (!verified.ok) return { type: TYPES[verified.failure], message: verified.message };
      const principal = verified.credential;
      // Every action on every resource must be allowed. An explicit deny is reported before an implicit one, as
      // IAM does; otherwise the first pair no policy allows.
      let implicit: DoorRefusal | undefined;
      for (const { action, resources } of scopes()) {
        for (const resource of resources) {
          const decision = evaluatePolicies(principal.policies, action, resource);
          if (decision === 'allow') continue;
          const refusal = {
            type: 'AccessDeniedException',
            message: accessDeniedMessage(principal.arn, action, resource, decision === 'explicitDeny'),
          };
          if (decision === 'explicitDeny') return refusal;
          implicit ??= refusal;
        }
      }
      if (implicit) return implicit;
      return undefined;
    },
  };
}

/** The data-plane and stream actions a function's execution role gets on the app's own tables. */
const APP_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DescribeTable',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:DescribeStream',
  'dynamodb:GetShardIterator',
  'dynamodb:GetRecords',
];

/**
 * The policy behind the functions' injected credentials: what a Lambda execution role scoped to the app's tables
 * would hold — read and write the app's declared tables, their indexes and streams, list tables and streams, put
 * events on the app's event buses; no control plane (CreateTable, DeleteTable, UpdateTable) and no table or bus the
 * app does not declare. HTTP data sources' role credentials get the same.
 */
export function appTablesPolicy(app: AppModel, accountId: string): PolicyDocument {
  const tables = Object.values(app.tables).flatMap((t) => {
    const arn = `arn:aws:dynamodb:${app.region}:${accountId}:table/${t.name}`;
    return [arn, `${arn}/index/*`, `${arn}/stream/*`];
  });
  // And PutEvents on the app's event buses (default and declared), as a role allowed to publish to them holds.
  const buses = ['default', ...(app.eventBuses ?? [])].map(
    (name) => `arn:aws:events:${app.region}:${accountId}:event-bus/${name}`,
  );
  return {
    Version: '2012-10-17',
    Statement: [
      ...(tables.length ? [{ Effect: 'Allow' as const, Action: APP_TABLE_ACTIONS, Resource: tables }] : []),
      { Effect: 'Allow', Action: ['dynamodb:ListTables', 'dynamodb:ListStreams'], Resource: '*' },
      { Effect: 'Allow', Action: ['events:PutEvents'], Resource: buses },
    ],
  };
}

/**
 * The app's AWS_IAM credentials (syncline.config's AppSync callers). The door recognizes them — a refusal says
 * AccessDenied, not "unknown key" — but grants them nothing: on AWS, an AppSync caller's IAM identity reaches
 * DynamoDB only through a policy someone attached, and here that is an operator credential (`--credentials`).
 */
export function appIamPrincipals(app: AppModel, accountId: string): DoorPrincipal[] {
  const providers = app.graphql ? [app.graphql.authentication, ...app.graphql.additionalAuthentications] : [];
  const iam = providers.find((p) => p.type === 'AWS_IAM');
  if (!iam) return [];
  const parsed = parseAuthConfig('AWS_IAM', iam.config);
  if (!parsed.ok) return [];
  return (parsed.config as IamConfig).credentials.map((c) => ({
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    arn: c.userArn ?? `arn:aws:iam::${accountId}:user/${c.accessKeyId}`,
    policies: [],
  }));
}

// Resource-based policies (GetResourcePolicy, PutResourcePolicy, DeleteResourcePolicy). Syncline's AWS API door
// enforces the IAM policies of the credential that signs a request, not policies attached to tables or streams.
// Storing a policy it would not enforce would let a caller believe a table is protected when it is not, so (the
// safer choice) PutResourcePolicy is refused; no resource ever has a policy, so Get and Delete find none.
import { findSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { checkRequest, type RequestShape } from '../validation/shape.js';

const arn = { kind: 'string', notNull: true, minLength: 1, maxLength: 1283 } as const;
const getShape: RequestShape = { fields: { ResourceArn: arn } };
const deleteShape: RequestShape = {
  fields: { ResourceArn: arn, ExpectedRevisionId: { kind: 'string', minLength: 1, maxLength: 255 } },
};
const putShape: RequestShape = {
  fields: {
    ResourceArn: arn,
    Policy: { kind: 'string', notNull: true },
    ExpectedRevisionId: { kind: 'string', minLength: 1, maxLength: 255 },
    ConfirmRemoveSelfResourceAccess: { kind: 'boolean' },
  },
};

const RESOURCE = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})(\/stream\/[^/]+)?$/;

/** The resource must be a table (or its stream) of this account and region that exists. */
function checkResource(ctx: EngineContext, resourceArn: string): void {
  const m = RESOURCE.exec(resourceArn);
  if (!m) throw validation(`Invalid ResourceArn provided as input ${resourceArn}`);
  const exists =
    m[1] === ctx.region && m[2] === ctx.accountId && ctx.storage.read((tx) => findSchema(ctx, tx, m[3])) !== undefined;
  if (!exists) {
    throw new DynamoDBError(
      'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${resourceArn} not found`,
    );
  }
}

const notFound = (resourceArn: string) =>
  new DynamoDBError(
    'PolicyNotFoundException',
    `Resource-based policy not found for the provided ResourceArn: ${resourceArn}`,
  );

export function getResourcePolicy(ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ ResourceArn: string }>(body, getShape);
  checkResource(ctx, data.ResourceArn);
  throw notFound(data.ResourceArn);
}

export function deleteResourcePolicy(ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ ResourceArn: string }>(body, deleteShape);
  checkResource(ctx, data.ResourceArn);
  throw notFound(data.ResourceArn);
}

export function putResourcePolicy(ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ ResourceArn: string }>(body, putShape);
  checkResource(ctx, data.ResourceArn);
  throw validation(
    'PutResourcePolicy is not available: Syncline does not enforce resource-based policies; grant access with the ' +
      'IAM policies of the credentials that sign requests (operator credentials or function roles)',
  );
}

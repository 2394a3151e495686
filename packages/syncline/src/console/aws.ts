// POST /_console/api/aws/dynamodb: the table pages' DynamoDB and DynamoDB Streams calls, answered by the services
// themselves (the same handler `POST /` reaches) with their own status and body. The console's caller stands in
// for the signature: in `dev` the API is open anyway (like DynamoDB Local); in `start` the caller proved an
// operator credential with HTTP Basic, and that credential's IAM policies are evaluated against the request
// exactly as the door evaluates a signed one — the console is no way around a policy.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessDeniedMessage } from '../auth/accessDenied.js';
import type { OperatorCredential } from '../auth/operatorCredentials.js';
import { evaluatePolicies } from '../auth/policy.js';
import { awsJsonError } from '../server/awsJsonApi.js';
import type { AwsJsonResponse, AwsJsonService } from '../server/capability.js';
import { ConsoleError, readBody } from './http.js';

export async function serveAwsJson(
  req: IncomingMessage,
  res: ServerResponse,
  services: readonly AwsJsonService[],
  operator: { credential: OperatorCredential; arn: string } | undefined,
): Promise<void> {
  const target = req.headers['x-amz-target'];
  // DynamoDB and its Streams API only: the path says so, and other services (EventBridge) are no table page's.
  const service =
    typeof target === 'string'
      ? services.find((s) => s.targetPrefix.startsWith('DynamoDB') && target.startsWith(s.targetPrefix))
      : undefined;
  if (!service || typeof target !== 'string') {
    req.resume();
    return write(
      res,
      awsJsonError(400, {
        type: 'UnknownOperationException',
        message: 'X-Amz-Target names no DynamoDB or DynamoDB Streams operation.',
      }),
    );
  }
  let body: Buffer;
  try {
    body = await readBody(req, service.maxBody);
  } catch (error) {
    if (error instanceof ConsoleError && error.status === 413) {
      return write(res, {
        status: 413,
        headers: { 'content-type': 'application/x-amz-json-1.0', connection: 'close' },
        body: JSON.stringify(service.tooLarge),
      });
    }
    throw error;
  }
  if (operator) {
    const refused = policyRefusal(service, target.slice(service.targetPrefix.length), body, operator);
    if (refused) return write(res, refused);
  }
  write(res, await service.handle(target, body));
}

function policyRefusal(
  service: AwsJsonService,
  operation: string,
  body: Buffer,
  operator: { credential: OperatorCredential; arn: string },
): AwsJsonResponse | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  // An explicit deny is reported before an implicit one, as IAM (and the door) do.
  let implicit: AwsJsonResponse | undefined;
  for (const { action, resources } of service.scope(operation, parsed)) {
    for (const resource of resources) {
      const decision = evaluatePolicies(operator.credential.policies, action, resource);
      if (decision === 'allow') continue;
      const refusal = awsJsonError(400, {
        type: 'AccessDeniedException',
        message: accessDeniedMessage(operator.arn, action, resource, decision === 'explicitDeny'),
      });
      if (decision === 'explicitDeny') return refusal;
      implicit ??= refusal;
    }
  }
  return implicit;
}

function write(res: ServerResponse, response: AwsJsonResponse): void {
  res.writeHead(response.status, { ...response.headers, 'cache-control': 'no-store' }).end(response.body);
}

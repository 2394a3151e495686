// Local credentials for functions, as Lambda hands each function its execution role's temporary credentials.
// They are generated per server start and injected as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN; the auth capability looks them up (listFunctionCredentials) to verify SigV4 signatures
// made by handlers and to give the caller an IAM identity.
import { randomBytes } from 'node:crypto';

export interface FunctionCredentials {
  functionName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** The execution role the credentials stand for. */
  roleArn: string;
  /** The caller identity STS would report: the role assumed with the function's name as session. */
  assumedRoleArn: string;
  /** The same ARN under the name the AWS_IAM check reads (`ctx.identity.userArn`). */
  userArn: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function generateCredentials(functionName: string, accountId: string): FunctionCredentials {
  const id = [...randomBytes(16)].map((b) => BASE32[b & 31]).join('');
  const role = `${functionName}-role`;
  return {
    functionName,
    // ASIA marks temporary (STS) credentials, which is what Lambda injects.
    accessKeyId: `ASIA${id}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
    roleArn: `arn:aws:iam::${accountId}:role/${role}`,
    assumedRoleArn: `arn:aws:sts::${accountId}:assumed-role/${role}/${functionName}`,
    userArn: `arn:aws:sts::${accountId}:assumed-role/${role}/${functionName}`,
  };
}

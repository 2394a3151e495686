// The credentials an operator gives `syncline start` for its AWS APIs (DynamoDB, DynamoDB Streams), each with the
// IAM policies that scope it: from a JSON file and/or the environment. Read once at startup; any problem stops the
// server with a message naming the file and the key, because a credential half-understood is a door left open.
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { iamCredentialSchema } from './config.js';
import { describeIssue, type PolicyDocument, parsePolicyDocument } from './policy.js';

export interface OperatorCredential {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  policies: PolicyDocument[];
}

export const ACCESS_KEY_ENV = 'SYNCLINE_ACCESS_KEY_ID';
export const SECRET_KEY_ENV = 'SYNCLINE_SECRET_ACCESS_KEY';
/** The name of the credential given by the environment, which may do everything. */
export const ENV_CREDENTIAL_NAME = 'admin';

// AWS's own secrets are 40 characters; a short one can be guessed offline from a single signed request.
const MIN_SECRET_LENGTH = 16;

const credentialSchema = z
  .strictObject({
    /** An IAM user name: it becomes the principal `arn:aws:iam::<account>:user/<name>` in AccessDenied messages. */
    name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'name is 1 to 64 letters, digits and _+=,.@-'),
    accessKeyId: iamCredentialSchema.shape.accessKeyId,
    secretAccessKey: z.string().min(MIN_SECRET_LENGTH, `secretAccessKey is at least ${MIN_SECRET_LENGTH} characters`),
    policy: z.unknown().optional(),
    policies: z.array(z.unknown()).min(1, 'policies must not be empty').optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.policy === undefined) === (c.policies === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of policy or policies' });
    }
  });

// `{ "credentials": [...] }`, or the bare list.
const fileSchema = z.union([z.strictObject({ credentials: z.array(credentialSchema) }), z.array(credentialSchema)]);

const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/**
 * A secret file anyone else on the machine can read is refused, not warned about: warnings scroll away, and the
 * file holds every key to the data. (Permission bits mean nothing on Windows; the check is skipped there.)
 */
function checkPrivate(file: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${file}: credentials file is accessible to other users (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${file}`,
    );
  }
}

function readFile(file: string): OperatorCredential[] {
  let text: string;
  try {
    checkPrivate(file);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) {
      throw new Error(`${file}: cannot read credentials file (${(error as NodeJS.ErrnoException).code})`);
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${describeIssue(parsed.error)}`);
  const bare = Array.isArray(parsed.data);
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.credentials;
  return list.map((c, i) => {
    const where = `${file}: ${bare ? '' : 'credentials'}[${i}]`;
    const documents = c.policies ?? [c.policy];
    return {
      name: c.name,
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      policies: documents.map((d, j) =>
        parsePolicyDocument(d, c.policies ? `${where}.policies[${j}]` : `${where}.policy`),
      ),
    };
  });
}

function fromEnv(env: NodeJS.ProcessEnv): OperatorCredential | undefined {
  // An empty variable counts as unset (`export SYNCLINE_ACCESS_KEY_ID=` is how a shell clears one).
  const accessKeyId = env[ACCESS_KEY_ENV] || undefined;
  const secretAccessKey = env[SECRET_KEY_ENV] || undefined;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(`${ACCESS_KEY_ENV} and ${SECRET_KEY_ENV} are set together or not at all`);
  }
  const parsed = credentialSchema.safeParse({ name: ENV_CREDENTIAL_NAME, accessKeyId, secretAccessKey, policy: {} });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue.path[0] === 'secretAccessKey' ? SECRET_KEY_ENV : ACCESS_KEY_ENV;
    throw new Error(`${variable}: ${issue.message}`);
  }
  return {
    name: ENV_CREDENTIAL_NAME,
    accessKeyId,
    secretAccessKey,
    policies: [parsePolicyDocument(ADMIN_POLICY, ENV_CREDENTIAL_NAME)],
  };
}

/**
 * The operator's credentials: those of `file` (if given), then the environment's `admin` (if set). Two credentials
 * with the same access key id or the same name are refused: either would make a signature's principal ambiguous.
 */
export function loadOperatorCredentials(opts: { file?: string; env: NodeJS.ProcessEnv }): OperatorCredential[] {
  const out = opts.file === undefined ? [] : readFile(opts.file);
  const admin = fromEnv(opts.env);
  if (admin) out.push(admin);
  const keys = new Set<string>();
  const names = new Set<string>();
  for (const c of out) {
    const source = c === admin ? 'the environment' : opts.file;
    if (keys.has(c.accessKeyId)) throw new Error(`${source}: access key id ${c.accessKeyId} is given twice`);
    if (names.has(c.name)) throw new Error(`${source}: credential name ${c.name} is given twice`);
    keys.add(c.accessKeyId);
    names.add(c.name);
  }
  return out;
}

/** The principal a credential stands for, as AWS names an IAM user. */
export function principalArn(credential: Pick<OperatorCredential, 'name'>, accountId: string): string {
  return `arn:aws:iam::${accountId}:user/${credential.name}`;
}

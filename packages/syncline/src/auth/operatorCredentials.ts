// STUB for the `iam-policy` branch, which owns this file: the lead takes that branch's version at merge. The
// credentials an operator gives `syncline start`: a JSON file (`--credentials <file>`) and/or one admin credential
// from SYNCLINE_ACCESS_KEY_ID / SYNCLINE_SECRET_ACCESS_KEY.
import { readFileSync } from 'node:fs';
import { type PolicyDocument, parsePolicyDocument } from './policy.js';

export interface OperatorCredential {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  policies: PolicyDocument[];
}

const ADMIN_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

export function loadOperatorCredentials(opts: { file?: string; env: NodeJS.ProcessEnv }): OperatorCredential[] {
  const out: OperatorCredential[] = [];
  if (opts.file) {
    const parsed = JSON.parse(readFileSync(opts.file, 'utf8')) as unknown;
    const entries = Array.isArray(parsed) ? parsed : (parsed as { credentials?: unknown }).credentials;
    if (!Array.isArray(entries)) throw new Error(`${opts.file}: expected a list of credentials`);
    entries.forEach((c: Record<string, unknown>, i: number) => {
      const where = `${opts.file}: credentials[${i}]`;
      if (typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string') {
        throw new Error(`${where}: accessKeyId and secretAccessKey are required`);
      }
      const policies = Array.isArray(c.policies) ? c.policies : [];
      out.push({
        name: typeof c.name === 'string' ? c.name : c.accessKeyId,
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        policies: policies.map((p, j) => parsePolicyDocument(p, `${where}.policies[${j}]`)),
      });
    });
  }
  const id = opts.env.SYNCLINE_ACCESS_KEY_ID;
  const secret = opts.env.SYNCLINE_SECRET_ACCESS_KEY;
  if (id && secret) out.push({ name: 'admin', accessKeyId: id, secretAccessKey: secret, policies: [ADMIN_POLICY] });
  return out;
}

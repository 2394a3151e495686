// STUB for the `iam-policy` branch, which owns this file: the lead takes that branch's version at merge. Just
// enough IAM policy evaluation (Allow/Deny statements, Action and Resource with `*` and `?` wildcards) for the
// server's door to be written and tested against the agreed interface.

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

export function parsePolicyDocument(json: unknown, where: string): PolicyDocument {
  const doc = json as { Version?: unknown; Statement?: unknown };
  if (!doc || typeof doc !== 'object') throw new Error(`${where}: a policy document is a JSON object`);
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : undefined;
  if (!statements) throw new Error(`${where}: a policy document needs a Statement`);
  return {
    Version: typeof doc.Version === 'string' ? doc.Version : undefined,
    Statement: statements.map((s: Record<string, unknown>, i: number) => {
      const at = `${where}: Statement[${i}]`;
      if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new Error(`${at}: Effect is Allow or Deny`);
      const strings = (v: unknown) =>
        typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (!strings(s.Action)) throw new Error(`${at}: Action is a string or a list of strings`);
      if (!strings(s.Resource)) throw new Error(`${at}: Resource is a string or a list of strings`);
      return { Effect: s.Effect, Action: s.Action as string | string[], Resource: s.Resource as string | string[] };
    }),
  };
}

function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

export function evaluatePolicies(
  policies: readonly PolicyDocument[],
  action: string,
  resource: string,
): 'allow' | 'explicitDeny' | 'implicitDeny' {
  let allowed = false;
  for (const policy of policies) {
    for (const s of policy.Statement) {
      const applies =
        list(s.Action).some((a) => matches(a, action, true)) &&
        list(s.Resource).some((r) => matches(r, resource, false));
      if (!applies) continue;
      if (s.Effect === 'Deny') return 'explicitDeny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicitDeny';
}

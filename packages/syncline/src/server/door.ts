// Who may pass the AWS JSON APIs' door (auth/awsApiDoor.ts) on this server: the operator's credentials with their
// policies, the functions' injected credentials scoped to the app's own tables and streams, and the app's AWS_IAM
// credentials, recognized but granted nothing.
import type { AppModel } from '../app/model.js';
import {
  type AwsApiDoor,
  appIamPrincipals,
  appTablesPolicy,
  awsApiDoor,
  type DoorPrincipal,
} from '../auth/awsApiDoor.js';
import type { OperatorCredential } from '../auth/operatorCredentials.js';
import { type FunctionCredentials, type LocalFunctionRuntime, listFunctionCredentials } from '../functions/index.js';
import type { ServerContext } from './capability.js';
import type { FunctionsCapability } from './functions.js';

export function serverDoor(
  ctx: ServerContext,
  accountId: string,
  functions: FunctionsCapability,
  credentials: readonly OperatorCredential[],
  /** Credentials the server signs with itself (data sources' roles), scoped like the functions'. */
  serverSigners: () => readonly FunctionCredentials[] = () => [],
): AwsApiDoor {
  const operators: DoorPrincipal[] = credentials.map((c) => ({
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    arn: `arn:aws:iam::${accountId}:user/${c.name}`,
    policies: c.policies,
  }));
  // The known credentials, indexed once per app version and functions runtime rather than per request.
  let indexedFor: [AppModel, LocalFunctionRuntime] | undefined;
  let known = new Map<string, DoorPrincipal>();
  const index = (app: AppModel, runtime: LocalFunctionRuntime) => {
    if (indexedFor?.[0] === app && indexedFor[1] === runtime) return known;
    const appPolicy = [appTablesPolicy(app, accountId)];
    const principals: DoorPrincipal[] = [
      ...operators,
      ...listFunctionCredentials(runtime).map((c) => ({ ...c, arn: c.assumedRoleArn, policies: appPolicy })),
      ...appIamPrincipals(app, accountId),
    ];
    // The first of a key wins: an operator's credential is never shadowed by an app-declared one.
    known = new Map();
    for (const p of principals) if (!known.has(p.accessKeyId)) known.set(p.accessKeyId, p);
    indexedFor = [app, runtime];
    return known;
  };
  return awsApiDoor({
    region: () => ctx.app().region,
    lookup: (accessKeyId) => {
      const found = index(ctx.app(), functions.runtime).get(accessKeyId);
      if (found) return found;
      const signer = serverSigners().find((c) => c.accessKeyId === accessKeyId);
      return signer && { ...signer, arn: signer.assumedRoleArn, policies: [appTablesPolicy(ctx.app(), accountId)] };
    },
  });
}

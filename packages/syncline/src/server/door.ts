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
import type { PolicyDocument } from '../auth/policy.js';
import { listFunctionCredentials } from '../functions/index.js';
import type { ServerContext } from './capability.js';
import type { FunctionsCapability } from './functions.js';

export function serverDoor(
  ctx: ServerContext,
  accountId: string,
  functions: FunctionsCapability,
  credentials: readonly OperatorCredential[],
): AwsApiDoor {
  const operators: DoorPrincipal[] = credentials.map((c) => ({
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    arn: `arn:aws:iam::${accountId}:user/${c.name}`,
    policies: c.policies,
  }));
  // Derived once per app version, not per request.
  let derivedFor: AppModel | undefined;
  let appPolicy: PolicyDocument[] = [];
  let appIam: DoorPrincipal[] = [];
  const derive = (app: AppModel) => {
    if (derivedFor === app) return;
    derivedFor = app;
    appPolicy = [appTablesPolicy(app, accountId)];
    appIam = appIamPrincipals(app, accountId);
  };
  return awsApiDoor({
    region: () => ctx.app().region,
    *principals() {
      derive(ctx.app());
      yield* operators;
      for (const c of listFunctionCredentials(functions.runtime)) {
        yield { ...c, arn: c.assumedRoleArn, policies: appPolicy };
      }
      yield* appIam;
    },
  });
}

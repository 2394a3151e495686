// STUB for the `iam-policy` branch, which owns this file: the lead takes that branch's version at merge.
// AccessDeniedException's message, in the words AWS uses for an identity-based denial.
export function accessDeniedMessage(principalArn: string, action: string, resource: string, explicit: boolean): string {
  const reason = explicit
    ? `with an explicit deny in an identity-based policy`
    : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`;
}

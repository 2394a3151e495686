// AWS's wording for a request its identity-based policies refuse, as DynamoDB returns it in an
// AccessDeniedException: the implicit form names the action no policy allows, the explicit form the deny.
export function accessDeniedMessage(principalArn: string, action: string, resource: string, explicit: boolean): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  return explicit
    ? `${head} with an explicit deny in an identity-based policy`
    : `${head} because no identity-based policy allows the ${action} action`;
}

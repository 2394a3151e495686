// The credentials of data sources' service roles: AppSync signs an HTTP data source's requests (AWS_IAM) with the
// role it assumes for that data source. Locally each data source gets its own generated role credentials, like a
// function's (functions/credentials.ts), which the server's AWS API door recognizes with the same app-scoped
// policy; a cluster keeps them in its shared database so that any node accepts what another signed.
import type { SecretStore } from '../app/secrets.js';
import { type FunctionCredentials, generateCredentials, keptCredentials } from '../functions/credentials.js';

export interface DataSourceRoles {
  /** The role credentials of the named data source, made on first use. */
  credentials(dataSource: string): FunctionCredentials;
  /** Every credential handed out so far. */
  list(): FunctionCredentials[];
}

export function dataSourceRoles(accountId: string, store?: SecretStore): DataSourceRoles {
  const made = new Map<string, FunctionCredentials>();
  return {
    credentials(dataSource) {
      let c = made.get(dataSource);
      if (!c) {
        const role = `appsync-ds-${dataSource}`;
        c = store ? keptCredentials(store, role, accountId) : generateCredentials(role, accountId);
        made.set(dataSource, c);
      }
      return c;
    },
    list: () => [...made.values()],
  };
}

import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { useMemo, useRef, useState } from 'react';
import { AuthPicker, defaultChoice } from '../explorer/AuthPicker.js';
import type { AuthChoice } from '../explorer/auth.js';
import { appSyncFetcher } from '../explorer/fetcher.js';
import { buildAppSchema } from '../explorer/schema.js';
import type { AppInfo } from '../types.js';

const DEFAULT_QUERY = `# Queries, mutations and subscriptions against this app, with the authorization picked above.
# A subscription streams here over the AppSync realtime protocol: every message, newest first,
# stamped with the time it arrived. Run it again to stop it.

`;

export function ExplorerPage({ app }: { app: AppInfo }) {
  const graphql = app.graphql;
  const [choice, setChoice] = useState<AuthChoice>(() =>
    graphql ? defaultChoice(graphql.authModes[0]?.type ?? 'NONE', graphql) : { type: 'NONE' },
  );
  // GraphiQL keeps its fetcher; the fetcher reads the current choice at each request.
  const current = useRef(choice);
  current.current = choice;
  const fetcher = useMemo(() => appSyncFetcher(() => current.current), []);
  const schema = useMemo(() => {
    if (!graphql) return undefined;
    if (!graphql.sdl) return new Error('the GraphQL API did not load; the server log says why.');
    try {
      return buildAppSchema(graphql.sdl);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }, [graphql]);

  if (!graphql) return <div className="pad muted">This app has no GraphQL API.</div>;
  if (schema instanceof Error) return <div className="pad error">The schema does not build: {schema.message}</div>;
  return (
    <div className="explorer">
      <AuthPicker graphql={graphql} issuer={app.issuer} choice={choice} onChange={setChoice} />
      <div className="graphiql-host">
        <GraphiQL fetcher={fetcher} schema={schema} defaultQuery={DEFAULT_QUERY} defaultEditorToolsVisibility={false} />
      </div>
    </div>
  );
}

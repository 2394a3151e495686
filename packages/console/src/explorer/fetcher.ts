// GraphiQL's fetcher: queries and mutations as `POST /graphql` with the chosen authorization, subscriptions over
// the AppSync realtime protocol. A subscription's result is the log of every message received, newest first,
// each stamped with the time it arrived, so the result pane streams.
import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, Kind, parse } from 'graphql';
import { serverUrl } from '../api.js';
import { type AuthChoice, authHeaders } from './auth.js';
import { type ReceivedMessage, subscribeAppSync } from './realtime.js';

type Fetcher = GraphiQLProps['fetcher'];

const stringHeaders = (headers: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)]));

/** The subscription's name (or its first field's), or undefined for a query or mutation. */
function subscriptionName(query: string, operationName: string | null | undefined): string | undefined {
  try {
    const operation = getOperationAST(parse(query), operationName ?? undefined);
    if (operation?.operation !== 'subscription') return undefined;
    const first = operation.selectionSet.selections[0];
    return operation.name?.value ?? (first?.kind === Kind.FIELD ? first.name.value : 'subscription');
  } catch {
    return undefined;
  }
}

export function appSyncFetcher(auth: () => AuthChoice): Fetcher {
  return (params, opts) => {
    const extra = stringHeaders(opts?.headers);
    const subscription = subscriptionName(params.query, params.operationName);
    if (subscription) {
      // GraphiQL shows an observable's every value; each value is the whole log so far.
      return {
        subscribe(observerOrNext: unknown) {
          const observer =
            typeof observerOrNext === 'function'
              ? { next: observerOrNext as (v: unknown) => void }
              : (observerOrNext as {
                  next?: (v: unknown) => void;
                  error?: (e: unknown) => void;
                  complete?: () => void;
                });
          const messages: ReceivedMessage[] = [];
          const stop = subscribeAppSync(params, auth(), extra, {
            message(message) {
              messages.unshift(message);
              observer.next?.({ subscription, messages: [...messages] });
            },
            error: (error) => observer.error?.(error),
            complete: () => observer.complete?.(),
          });
          return { unsubscribe: stop };
        },
      } as ReturnType<Fetcher>;
    }
    return (async () => {
      const url = serverUrl('/graphql').toString();
      const body = JSON.stringify(params);
      const base = { 'content-type': 'application/json', ...extra };
      const added = await authHeaders(auth(), { url, method: 'POST', headers: { host: location.host, ...base }, body });
      // The browser sets Host itself (it refuses the header); the signature covered the same value.
      const headers = Object.fromEntries(
        Object.entries({ ...base, ...added }).filter(([k]) => k.toLowerCase() !== 'host'),
      );
      const response = await fetch(url, { method: 'POST', headers: { accept: 'application/json', ...headers }, body });
      return response.json();
    })();
  };
}

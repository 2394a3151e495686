// Where the page learns its API. Locally, `syncline` serves `/syncline.json` next to the page, with URLs built
// from the address the page was opened at (so the page works at http://, https:// and localhost alike). On AWS
// the same values come from `amplify_outputs.json`, and this function becomes
// `import outputs from '../amplify_outputs.json'; Amplify.configure(outputs);`.
import { Amplify } from 'aws-amplify';

export interface Endpoints {
  graphql: string;
  realtime: string;
  region: string;
  apiKey: string;
  /** Base URL of the app's HTTP routes (`POST /orders` once the order function serves it). */
  http: string;
}

export async function configureAmplify(): Promise<Endpoints> {
  const response = await fetch('/syncline.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /syncline.json answered ${response.status}`);
  const endpoints = (await response.json()) as Endpoints;
  Amplify.configure({
    API: {
      GraphQL: {
        endpoint: endpoints.graphql,
        region: endpoints.region,
        defaultAuthMode: 'apiKey',
        apiKey: endpoints.apiKey,
      },
    },
  });
  return endpoints;
}

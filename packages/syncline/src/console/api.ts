// The console's JSON API under /_console/api/ (docs/console.md): a thin reading of what the server already
// holds — the app model, the table engine, the functions runtime, the realtime connections, the journal — and a
// few actions (mint a token, sign a request, call DynamoDB, invoke a function). Nothing here is kept per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_LOCAL_CLIENT_ID } from '../auth/localIssuer.js';
import type { OperatorCredential } from '../auth/operatorCredentials.js';
import { UnknownFunctionError } from '../functions/index.js';
import type { AwsJsonService, ServerContext } from '../server/capability.js';
import type { FunctionsCapability } from '../server/functions.js';
import type { GraphqlCapability } from '../server/graphql.js';
import type { IssuerCapability } from '../server/issuer.js';
import type { RealtimeCapability } from '../server/realtime.js';
import type { TablesCapability } from '../server/tables.js';
import type { Journal } from '../trace/types.js';
import { appInfo } from './appInfo.js';
import { serveAwsJson } from './aws.js';
import { serveEvents } from './events.js';
import { badRequest, ConsoleError, isObject, limitOf, notFound, readJson, sendJson } from './http.js';
import { signRequest } from './sign.js';
import { streamView } from './streams.js';

export interface ConsoleSources {
  /** 'dev' or 'start', as the console shows it. */
  mode: 'dev' | 'start';
  tables: TablesCapability;
  functions: FunctionsCapability;
  graphql: GraphqlCapability;
  realtime: RealtimeCapability;
  issuer?: IssuerCapability;
  /** The AWS JSON services the server declares (DynamoDB, DynamoDB Streams), for `aws/dynamodb`. */
  awsJsonApis: () => readonly AwsJsonService[];
  /** The journal of traces, invocations and stream deliveries; absent: those lists are empty. */
  journal?: Journal;
}

export interface ApiCaller {
  operator?: OperatorCredential;
}

/** Serves one API request; `route` is the path below `/_console/api/`, still URL-encoded. */
export async function serveApi(
  ctx: ServerContext,
  sources: ConsoleSources,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  query: URLSearchParams,
  caller: ApiCaller,
): Promise<void> {
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const segments = route.split('/').map(decodeSegment);
  const [first, second, third] = segments;
  const json = (body: unknown, status = 200) => sendJson(res, status, body, req.method === 'HEAD');
  const { journal } = sources;
  const only = (allowed: string) => {
    if (method !== allowed) throw new ConsoleError(405, 'MethodNotAllowedException', `Use ${allowed} for ${route}.`);
  };
  const functionName = (name: string | undefined) => {
    if (!name || !Object.hasOwn(ctx.app().functions, name)) throw notFound(`Function not found: ${name ?? ''}`);
    return name;
  };

  switch (first) {
    case 'app':
      if (segments.length !== 1) break;
      only('GET');
      return json(
        appInfo({
          mode: sources.mode,
          app: ctx.app(),
          endpoints: ctx.endpoints(),
          api: sources.graphql.api(),
          engine: sources.tables.engine,
          issuer: sources.issuer?.issuer !== undefined,
          cluster: clusterOf(sources),
        }),
      );
    case 'token': {
      if (segments.length !== 1) break;
      only('POST');
      const issuer = sources.issuer?.issuer;
      if (!issuer) throw notFound('The local token issuer is off (it is served by `syncline dev` only).');
      return json({ token: await issuer.mint(tokenRequest(ctx, await readJson(req))) });
    }
    case 'sign':
      if (segments.length !== 1) break;
      only('POST');
      return json(await signRequest(ctx.app(), sources.functions.runtime, await readJson(req)));
    case 'aws':
      if (second !== 'dynamodb' || segments.length !== 2) break;
      only('POST');
      return serveAwsJson(
        req,
        res,
        sources.awsJsonApis(),
        caller.operator && {
          credential: caller.operator,
          arn: `arn:aws:iam::${sources.tables.engine.accountId}:user/${caller.operator.name}`,
        },
      );
    case 'streams':
      if (segments.length !== 2 || !second) break;
      only('GET');
      return json(streamView(ctx.app(), sources.tables.engine, journal, second, limitOf(query, 100)));
    case 'functions': {
      const name = functionName(second);
      if (segments.length !== 3) break;
      if (third === 'invocations') {
        only('GET');
        const limit = limitOf(query, 100);
        return json(journal?.invocations(name, limit) ?? []);
      }
      if (third === 'logs') {
        only('GET');
        return json(functionLogs(sources, name, query));
      }
      if (third === 'invoke') {
        only('POST');
        return json(await invoke(sources, name, await readJson(req)));
      }
      break;
    }
    case 'realtime':
      if (segments.length !== 1) break;
      only('GET');
      return json({ connections: sources.realtime.realtime.listConnections() });
    case 'traces':
      only('GET');
      if (segments.length === 1) {
        const limit = limitOf(query, 50);
        return json(journal?.traces(limit) ?? []);
      }
      if (segments.length === 2 && second) {
        const spans = journal?.trace(second);
        if (!spans) throw notFound(`Trace not found: ${second}`);
        return json({ traceId: second, spans });
      }
      break;
    case 'events':
      if (segments.length !== 1) break;
      only('GET');
      return serveEvents(req, res, journal);
  }
  throw notFound(`No console API at ${route}.`);
}

function clusterOf(sources: ConsoleSources): { adapter: string; state: string } {
  const { adapter, state } = sources.realtime.cluster.state();
  return { adapter, state };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('The path is not valid percent-encoding.');
  }
}

/** The token a JWT mode of this app accepts: its issuer (the first one naming one) and client. */
function tokenRequest(ctx: ServerContext, input: unknown) {
  if (!isObject(input) || typeof input.sub !== 'string' || input.sub === '') {
    throw badRequest('token expects { sub, username?, groups?, claims? } with a non-empty sub.');
  }
  const { sub, username, groups, claims } = input;
  if (username !== undefined && typeof username !== 'string') throw badRequest('username is a string.');
  if (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) {
    throw badRequest('groups is a list of strings.');
  }
  if (claims !== undefined && !isObject(claims)) throw badRequest('claims is an object.');
  const graphql = ctx.app().graphql;
  const providers = graphql ? [graphql.authentication, ...graphql.additionalAuthentications] : [];
  const jwtMode = providers.find(
    (p) =>
      (p.type === 'AMAZON_COGNITO_USER_POOLS' || p.type === 'OPENID_CONNECT') && typeof p.config?.issuer === 'string',
  );
  const clientId = jwtMode?.type === 'OPENID_CONNECT' ? plainClientId(jwtMode.config?.clientId) : undefined;
  return {
    sub,
    username: username as string | undefined,
    groups: groups as string[] | undefined,
    claims: claims as Record<string, unknown> | undefined,
    issuer: (jwtMode?.config?.issuer as string | undefined) ?? ctx.endpoints().http,
    clientId: clientId ?? DEFAULT_LOCAL_CLIENT_ID,
  };
}

/** An OIDC clientId is a regex in AppSync; a plain name among its alternatives is used as the token's aud. */
function plainClientId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.split('|').find((part) => /^[\w.-]+$/.test(part));
}

function functionLogs(sources: ConsoleSources, name: string, query: URLSearchParams) {
  const requestId = query.get('requestId');
  const since = query.get('since');
  const sinceMs = since === null ? undefined : Number(since);
  if (sinceMs !== undefined && !Number.isFinite(sinceMs)) throw badRequest('since is epoch milliseconds.');
  let entries = sources.functions.runtime.logs(name);
  if (requestId) entries = entries.filter((e) => e.requestId === requestId);
  if (sinceMs !== undefined) entries = entries.filter((e) => e.time >= sinceMs);
  const limit = limitOf(query, 1000, 10_000);
  return entries.length > limit ? entries.slice(entries.length - limit) : entries;
}

async function invoke(sources: ConsoleSources, name: string, event: unknown) {
  const runtime = sources.functions.runtime;
  let result: Awaited<ReturnType<typeof runtime.invoke>>;
  try {
    result = await runtime.invoke(name, event ?? {});
  } catch (error) {
    if (error instanceof UnknownFunctionError) throw notFound(error.message);
    throw error;
  }
  const logs = runtime.logs(name).filter((e) => e.requestId === result.requestId);
  // The trace the invocation started, so the page can open it in the Traces view.
  const traceId = sources.journal?.invocations(name, 20).find((i) => i.requestId === result.requestId)?.traceId;
  const common = { requestId: result.requestId, durationMs: result.durationMs, ...(traceId ? { traceId } : {}) };
  return result.ok
    ? { ...common, ok: true, payload: result.payload, logs }
    : { ...common, ok: false, error: result.error, logs };
}

// The console as a capability (docs/console.md): its API under /_console/api/, the built single-page app under
// /_console/ — and at / when the app has no web front end of its own. Open in `dev`; in `start` off unless
// enabled, and then for operators only (HTTP Basic with an operator credential). Browsers on other sites get
// nothing: the console acts with the operator's rights, so it answers same-origin requests alone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { OperatorCredential } from '../auth/operatorCredentials.js';
import type { Capability, HttpRoute, ServerContext } from '../server/capability.js';
import { type ConsoleAccess, consoleCaller } from './access.js';
import { type ConsoleSources, serveApi } from './api.js';
import { ConsoleError, sendError } from './http.js';
import { consoleDistFinder, consoleFileExists, notBuilt, serveConsoleFile } from './spa.js';

export type { ConsoleAccess } from './access.js';
export { CONSOLE_ACCESS } from './access.js';
export type { ConsoleSources } from './api.js';

export const CONSOLE_PATH = '/_console';
const API_PREFIX = `${CONSOLE_PATH}/api/`;

export interface ConsoleOptions {
  access: ConsoleAccess;
  /** The operator credentials that may sign in when `access` is 'operators'. */
  credentials: readonly OperatorCredential[];
  /** The built console's folder; default the `@syncline/console` package's dist/. */
  distDir?: string;
}

export function consoleCapability(ctx: ServerContext, sources: ConsoleSources, options: ConsoleOptions): Capability {
  const access = options.access;
  const callerOf = consoleCaller(access, options.credentials);
  const dist = consoleDistFinder(options.distDir);

  /** Refuses what the console must not answer; returns the caller otherwise. */
  const admit = (req: IncomingMessage, res: ServerResponse) => {
    const refusal = foreignRequest(req, access);
    if (refusal) {
      sendError(res, new ConsoleError(403, 'ForbiddenException', refusal));
      return undefined;
    }
    const caller = callerOf(req.headers);
    if (!caller.ok) {
      res.setHeader('www-authenticate', 'Basic realm="Syncline console", charset="UTF-8"');
      sendError(
        res,
        new ConsoleError(
          401,
          'UnauthorizedException',
          'The console needs an operator credential (HTTP Basic: access key id and secret).',
        ),
      );
      return undefined;
    }
    return caller;
  };

  const consoleRoute: HttpRoute = {
    // Tried before the AWS JSON APIs (which match any path by X-Amz-Target): a console request carrying one is the
    // console's, checked by the console. It answers CORS by not answering it: no other origin is let in.
    ownsCors: true,
    matches: (r) => access !== 'off' && (r.path === CONSOLE_PATH || r.path.startsWith(`${CONSOLE_PATH}/`)),
    serve(req, res, path) {
      const caller = admit(req, res);
      if (!caller) {
        req.resume();
        return;
      }
      void (async () => {
        try {
          if (path.startsWith(API_PREFIX)) {
            const url = new URL(req.url ?? '/', 'http://console');
            await serveApi(ctx, sources, req, res, path.slice(API_PREFIX.length), url.searchParams, caller);
            return;
          }
          if (req.method !== 'GET' && req.method !== 'HEAD') {
            throw new ConsoleError(405, 'MethodNotAllowedException', 'The console pages are read with GET.');
          }
          if (path === CONSOLE_PATH) {
            // Relative asset URLs resolve against the folder only with the trailing slash.
            const q = req.url?.indexOf('?') ?? -1;
            res.writeHead(301, { location: `${CONSOLE_PATH}/${q === -1 ? '' : req.url!.slice(q)}` }).end();
            return;
          }
          const root = dist();
          if (!root) throw notBuilt();
          serveConsoleFile(req, res, root, path.slice(CONSOLE_PATH.length), true);
        } catch (error) {
          if (error instanceof ConsoleError) {
            sendError(res, error);
            return;
          }
          ctx.log.error({ err: error, path }, 'console request failed');
          sendError(res, new ConsoleError(500, 'InternalFailure', 'An internal failure occurred.'));
        }
      })();
    },
  };

  // At `/` only for an app without a web front end, and only for the console's own files: anything else declines
  // so the server's 404 (or a later route) answers.
  const rootRoute: HttpRoute = {
    matches: (r) => access !== 'off' && (r.method === 'GET' || r.method === 'HEAD') && !ctx.app().web,
    serve(req, res, path) {
      if (ctx.app().web) return false;
      const root = dist();
      if (!root) {
        if (path !== '/') return false;
        sendError(res, notBuilt());
        return true;
      }
      if (path !== '/' && !consoleFileExists(root, path)) return false;
      if (!admit(req, res)) return true;
      try {
        return serveConsoleFile(req, res, root, path, false);
      } catch (error) {
        if (error instanceof ConsoleError) return false;
        throw error;
      }
    },
  };

  return { name: 'console', routes: [consoleRoute, rootRoute] };
}

/**
 * Why a request must not reach the console, or undefined. Another site's page in the operator's browser (an
 * Origin or Sec-Fetch-Site naming another site) is refused; and, while the console is open (dev), so is a Host
 * that is not an address or localhost — a DNS-rebinding page reaches 127.0.0.1 under its own name.
 */
function foreignRequest(req: IncomingMessage, access: ConsoleAccess): string | undefined {
  const headers = req.headers;
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'The console answers its own pages only.';
  const host = headers.host;
  const origin = headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || originHost !== host) return 'The console answers its own pages only.';
  }
  if (access === 'open' && host !== undefined && !localName(host)) {
    return 'The open console answers requests to an IP address or localhost only.';
  }
  return undefined;
}

function localName(host: string): boolean {
  let name: string;
  try {
    name = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost');
}

// The development token issuer as a capability: its keys in the data folder, its discovery document and JWKS at
// `/.well-known/` (docs/auth.md). `syncline dev` mounts it; `syncline start` leaves it out.
import { LocalIssuer } from '../auth/localIssuer.js';
import type { Capability, ServerContext } from './capability.js';

export interface IssuerCapability extends Capability {
  /** There from `start` on. */
  readonly issuer: LocalIssuer | undefined;
}

const PATHS = new Set(['/.well-known/jwks.json', '/.well-known/openid-configuration']);

export function issuerCapability(ctx: ServerContext): IssuerCapability {
  let issuer: LocalIssuer | undefined;
  return {
    name: 'issuer',
    get issuer() {
      return issuer;
    },
    routes: [
      {
        matches: (r) => issuer !== undefined && r.method === 'GET' && PATHS.has(r.path),
        serve: (req, res, path) => issuer!.handle(req, res, path),
      },
    ],
    async start() {
      issuer = await LocalIssuer.open(ctx.data);
    },
  };
}

// The web capability: the app's `web.build` run at start and on each reload, then its `web.dir` served at `/`
// with `/syncline.json` (server/static.ts). Last in the route order: every API keeps priority.
import type { Capability, ServerContext } from './capability.js';
import { staticHandler } from './static.js';
import { buildWeb } from './webBuild.js';

export function webCapability(ctx: ServerContext): Capability {
  const serve = staticHandler(ctx.app);
  return {
    name: 'web',
    routes: [{ matches: (r) => r.method === 'GET' || r.method === 'HEAD', serve }],
    start: () => buildWeb(ctx.app(), ctx.log),
    async reload(next) {
      await buildWeb(next, ctx.log);
      return undefined;
    },
  };
}

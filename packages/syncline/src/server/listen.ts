// Puts the capabilities on the port: one router for both listener paths (function routes, which answer their own
// CORS; then the AWS JSON APIs through the one dispatcher and its door; then every other route, in list order) and
// one upgrade dispatcher.
import type { Logger } from 'pino';
import type { AwsApiDoor } from '../auth/awsApiDoor.js';
import type { JournalWriter } from '../trace/journal.js';
import { awsJsonRoutes } from './awsJsonApi.js';
import type { Capability } from './capability.js';
import type { TlsMaterial } from './devCertificate.js';
import { type DualListener, listenDual } from './dualListener.js';
import { connectionCapLog, type ListenerLimits } from './listenerLimits.js';
import type { ServerObserver } from './observe.js';
import { createRouter } from './router.js';
import { createUpgradeDispatcher } from './upgrade.js';

export function listenCapabilities(
  capabilities: readonly Capability[],
  options: {
    port: number;
    host: string;
    tls: TlsMaterial;
    door: AwsApiDoor | undefined;
    log: Logger;
    limits: ListenerLimits;
    observe?: ServerObserver;
    journal?: JournalWriter;
  },
): Promise<DualListener> {
  const services = capabilities.flatMap((c) => c.awsJsonApis ?? []);
  const router = createRouter([
    ...awsJsonRoutes(services, options.door, options.observe, options.journal),
    ...capabilities.flatMap((c) => c.routes ?? []),
  ]);
  return listenDual({
    port: options.port,
    host: options.host,
    tls: options.tls,
    request: router.request,
    upgrade: createUpgradeDispatcher(capabilities.flatMap((c) => c.upgrades ?? [])),
    limits: options.limits,
    onConnectionRefused: connectionCapLog(options.log, options.limits.maxConnections),
    fast: { router: router.fast, onError: (err) => options.log.error({ err }, 'request failed') },
  });
}

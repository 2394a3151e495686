// Reads the `pubsub` setting (`--pubsub`, SYNCLINE_PUBSUB_URL): which adapter, which broker, which namespace.
// Checked before anything starts, so a typo fails fast with a message naming the accepted forms.
import { ClusterConfigError } from './errors.js';

export type PubSubTarget =
  | { kind: 'memory'; namespace?: string }
  | { kind: 'redis'; url: string; display: string; namespace?: string }
  | { kind: 'nats'; servers: string[]; display: string; namespace?: string };

const ACCEPTED = "use 'memory', redis://[user:password@]host[:port], rediss://…, or nats://host[:port][,nats://…]";
const NAMESPACE = /^[A-Za-z0-9_-]{1,64}$/;

/** `?namespace=` separates deployments of one app on one broker (Redis pub/sub ignores the database number). */
export function parsePubSubUrl(value: string): PubSubTarget {
  const text = value.trim();
  if (text === 'memory' || text === 'memory://') return { kind: 'memory' };
  const parts = text.split(',').map((part) => part.trim());
  const urls = parts.map((part) => {
    try {
      return new URL(part);
    } catch {
      throw new ClusterConfigError(`invalid pub/sub URL '${value}': ${ACCEPTED}`);
    }
  });
  const schemes = new Set(urls.map((url) => url.protocol));
  const scheme = urls[0]!.protocol;
  if (schemes.size !== 1 || (scheme !== 'redis:' && scheme !== 'rediss:' && scheme !== 'nats:' && scheme !== 'tls:')) {
    throw new ClusterConfigError(`unsupported pub/sub URL '${redact(value)}': ${ACCEPTED}`);
  }
  const namespaces = new Set(urls.map((url) => url.searchParams.get('namespace') ?? undefined));
  const namespace = [...namespaces][0];
  if (namespaces.size !== 1 || (namespace !== undefined && !NAMESPACE.test(namespace))) {
    throw new ClusterConfigError('the pub/sub namespace is 1 to 64 letters, digits, dashes or underscores');
  }
  for (const url of urls) {
    if (!url.hostname) throw new ClusterConfigError(`the pub/sub URL '${redact(value)}' names no host: ${ACCEPTED}`);
    url.searchParams.delete('namespace');
  }
  const display = urls.map((url) => redact(url.toString())).join(',');
  if (scheme === 'redis:' || scheme === 'rediss:') {
    if (urls.length > 1) throw new ClusterConfigError('a Redis pub/sub URL names one server');
    return { kind: 'redis', url: urls[0]!.toString(), display, namespace };
  }
  // The nats client takes host:port (or a tls:// URL) and reads credentials from the URL itself.
  return { kind: 'nats', servers: urls.map((url) => url.toString()), display, namespace };
}

function redact(text: string): string {
  return text.replace(/\/\/([^@/]*):([^@/]*)@/g, '//$1:***@');
}

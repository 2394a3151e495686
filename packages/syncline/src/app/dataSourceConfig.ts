// Checks of the data source kinds whose `config` says where requests go (HTTP, EventBridge): what AppSync's
// CreateDataSource would refuse is refused at load, with the key at fault.
import { AppConfigError } from './errors.js';

const SIGNING_NAME = /^[a-z0-9-]{1,64}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** `endpoint` (http or https URL, no query) and the optional AWS_IAM `authorizationConfig`. */
export function checkHttpDataSource(config: Record<string, unknown>, file: string, at: string): void {
  const endpoint = config.endpoint;
  if (typeof endpoint !== 'string') {
    throw new AppConfigError(file, `${at}.config.endpoint`, 'is required: the URL requests are sent to');
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new AppConfigError(file, `${at}.config.endpoint`, `"${endpoint}" is not a URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new AppConfigError(
      file,
      `${at}.config.endpoint`,
      'must be an http:// or https:// URL without query, fragment or credentials',
    );
  }
  const allowed = new Set(['endpoint', 'authorizationConfig']);
  for (const key of Object.keys(config)) {
    if (!allowed.has(key)) {
      throw new AppConfigError(
        file,
        `${at}.config.${key}`,
        'unknown key (an HTTP data source takes endpoint, authorizationConfig)',
      );
    }
  }
  const auth = config.authorizationConfig as Record<string, unknown> | undefined;
  if (auth === undefined) return;
  const where = `${at}.config.authorizationConfig`;
  if (!auth || typeof auth !== 'object' || auth.authorizationType !== 'AWS_IAM') {
    throw new AppConfigError(file, `${where}.authorizationType`, 'must be AWS_IAM (the only type AppSync offers)');
  }
  const iam = auth.awsIamConfig as Record<string, unknown> | undefined;
  if (!iam || typeof iam !== 'object') {
    throw new AppConfigError(file, `${where}.awsIamConfig`, 'is required: { signingRegion, signingServiceName }');
  }
  if (typeof iam.signingRegion !== 'string' || !REGION.test(iam.signingRegion)) {
    throw new AppConfigError(file, `${where}.awsIamConfig.signingRegion`, 'must be a region such as us-east-1');
  }
  if (typeof iam.signingServiceName !== 'string' || !SIGNING_NAME.test(iam.signingServiceName)) {
    throw new AppConfigError(
      file,
      `${where}.awsIamConfig.signingServiceName`,
      'must be a service signing name such as events or dynamodb',
    );
  }
}

/** The bus of an AMAZON_EVENTBRIDGE data source (`eventBusArn`, as AppSync's eventBridgeConfig), by its name. */
export function eventBusOfDataSource(config: Record<string, unknown>): string | undefined {
  const arn = config.eventBusArn;
  if (typeof arn !== 'string') return undefined;
  const m = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/([A-Za-z0-9._-]{1,256})$/.exec(arn);
  // A plain name is accepted too: locally the region and account add nothing.
  return m ? m[1] : /^[A-Za-z0-9._-]{1,256}$/.test(arn) ? arn : undefined;
}

/** `eventBusArn` naming `default` or one of the app's `eventBuses`. */
export function checkEventBridgeDataSource(
  config: Record<string, unknown>,
  buses: readonly string[],
  file: string,
  at: string,
): void {
  for (const key of Object.keys(config)) {
    if (key !== 'eventBusArn') {
      throw new AppConfigError(
        file,
        `${at}.config.${key}`,
        'unknown key (an EventBridge data source takes eventBusArn)',
      );
    }
  }
  if (config.eventBusArn === undefined) {
    throw new AppConfigError(file, `${at}.config.eventBusArn`, 'is required: the ARN of the event bus');
  }
  const bus = eventBusOfDataSource(config);
  if (!bus) throw new AppConfigError(file, `${at}.config.eventBusArn`, 'is not an event bus ARN');
  if (bus !== 'default' && !buses.includes(bus)) {
    throw new AppConfigError(file, `${at}.config.eventBusArn`, `no bus "${bus}" under eventBuses (nor default)`);
  }
}

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: option help quotes the Serverless Framework's `${...}` variables.
// The `syncline` command line.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { METRICS_ACCESS } from '../metrics/access.js';
import { LOG_FORMATS } from '../server/logger.js';
import { addExportCommand } from './export.js';
import { addInitCommand } from './init.js';
import { addLogsCommand } from './logs.js';
import { addTablesCommand } from './tables.js';
import { addTokenCommand } from './token.js';
import { addTrustCommands } from './trust.js';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
};

/** `--param Name=value`, repeatable: collected into one map. */
const param = (value: string, previous: Record<string, string> = {}) => {
  const eq = value.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError('a parameter is Name=value');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
};

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const program = new Command()
  .name('syncline')
  .description('The AWS AppSync realtime architecture on your machine: GraphQL with subscriptions, tables, functions.')
  .version(packageVersion(), '-V, --version', 'print the syncline version')
  .showHelpAfterError();

for (const [name, description, watch] of [
  ['dev', 'run an app and reload it when its config, schema or code changes', true],
  ['start', 'run an app', false],
] as const) {
  program
    .command(name)
    .description(description)
    .argument(
      '[path]',
      'the app folder, or its definition file: syncline.config.ts, serverless.yml, or a CloudFormation/SAM template',
      '.',
    )
    .option('--port <port>', 'port to listen on', port, 4000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data <folder>', "data folder ('<dir>/.syncline' by default; ':memory:' keeps nothing)")
    .option('--tls-cert <file>', 'PEM certificate for TLS on the same port (default: a generated dev certificate)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option(
      '--json',
      'when ready, print one JSON line with the endpoints and API key on stdout; logs go to stderr as JSON',
    )
    .option('--log-level <level>', 'silent | error | warn | info | debug', 'info')
    .addOption(
      new Option('--log-format <format>', 'pretty (one line per event) or json; default pretty on a terminal').choices(
        LOG_FORMATS,
      ),
    )
    .addOption(
      new Option('--access-log <on|off>', `one info line per request (default ${watch ? 'off' : 'on'})`)
        .choices(['on', 'off'])
        .default(watch ? 'off' : 'on'),
    )
    .addOption(
      new Option(
        '--metrics <access>',
        `who may read GET /metrics: open, operators (HTTP Basic with a --credentials key), off (default ${watch ? 'open' : 'operators'})`,
      )
        .choices(METRICS_ACCESS)
        .default(watch ? 'open' : 'operators'),
    )
    .addOption(
      watch
        ? new Option('--no-console', 'do not serve the console at /_console (docs/console.md)')
        : new Option(
            '--console',
            'serve the console at /_console to operators (HTTP Basic with a --credentials key; docs/console.md)',
          ),
    )
    .option(
      '--otlp-endpoint <url>',
      'export traces over OTLP/HTTP to this collector (http://host:4318); default OTEL_EXPORTER_OTLP_ENDPOINT',
    )
    .option(
      '--credentials <file>',
      'JSON file of credentials and their IAM policies for the AWS APIs (docs/auth.md); also SYNCLINE_ACCESS_KEY_ID',
    )
    .option(
      '--region <region>',
      'serverless.yml and templates: the region (${opt:region}, AWS::Region); default provider.region or us-east-1',
    )
    .option('--stage <stage>', 'serverless.yml: the stage (${opt:stage}, ${sls:stage}); default provider.stage or dev')
    .option('--stack <name>', 'CDK cloud assembly: the stack to run when cdk.out has several')
    .option(
      '--param <Name=value>',
      'serverless.yml ${param:Name} / template Parameters and Fn::ImportValue names (repeatable)',
      param,
    )
    .addOption(
      new Option(
        '--pubsub <url>',
        'cluster fan-out broker: redis://host:6379 or nats://host:4222 (docs/cluster.md)',
      ).env('SYNCLINE_PUBSUB_URL'),
    )
    .addOption(
      new Option(
        '--database <url>',
        'postgres://… to keep tables and streams in PostgreSQL, shared by a cluster (docs/cluster.md)',
      ).env('SYNCLINE_DATABASE_URL'),
    )
    // `start` always requires signatures on the AWS APIs; `dev` is open like DynamoDB Local unless asked.
    .addOption(
      new Option(
        '--require-signatures',
        'require SigV4 and IAM policies on the AWS APIs, as `start` always does',
      ).hideHelp(!watch),
    )
    .addOption(new Option('--verify-dynamodb-signatures', 'the former name of --require-signatures').hideHelp())
    .action(async (path: string, opts) => {
      const { verifyDynamodbSignatures, requireSignatures, ...rest } = opts;
      const required = !watch || Boolean(requireSignatures || verifyDynamodbSignatures);
      // dev: open unless --no-console; start: off unless --console, and then for operators only.
      const consoleAccess = rest.console ? (watch ? 'open' : 'operators') : 'off';
      // Loaded here, not at the top: the client commands (logs, tables) start without the whole server.
      const { runServer } = await import('./run.js');
      const code = await runServer({ path, watch, ...rest, console: consoleAccess, requireSignatures: required });
      if (code !== 0) process.exitCode = code;
    });
}

addTokenCommand(program);
addExportCommand(program);
addInitCommand(program);
addTrustCommands(program);
addLogsCommand(program);
addTablesCommand(program);

await program.parseAsync(process.argv);

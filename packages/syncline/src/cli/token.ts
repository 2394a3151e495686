// `syncline token`: prints a JWT signed by the development issuer `syncline dev` serves, for apps whose API uses
// user pools or OIDC. The key lives in the app's data folder, so the running server already publishes it.
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_LOCAL_CLIENT_ID, DEFAULT_LOCAL_ISSUER, LocalIssuer } from '../auth/localIssuer.js';

const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive number of seconds');
  return n;
};

const claim = (value: string, previous: Record<string, unknown> = {}) => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('a claim is name=value (value parsed as JSON when it parses)');
  const raw = value.slice(eq + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw;
  }
  return { ...previous, [value.slice(0, eq)]: parsed };
};

export function addTokenCommand(program: Command): void {
  program
    .command('token')
    .description('print a JWT signed by the local issuer that `syncline dev` serves (see docs/auth.md)')
    .requiredOption('--sub <sub>', 'the subject (user id)')
    .option('--groups <groups>', 'comma-separated cognito:groups')
    .option('--username <name>', 'cognito:username (default: the subject)')
    .option('--dir <dir>', 'the app folder', '.')
    .option('--data <folder>', "the server's data folder (default '<dir>/.syncline')")
    .option('--issuer <url>', 'the iss claim: where the dev server is reached', DEFAULT_LOCAL_ISSUER)
    .option('--client-id <id>', 'aud of an id token, client_id of an access token', DEFAULT_LOCAL_CLIENT_ID)
    .option('--token-use <use>', "'id' or 'access'", 'id')
    .option('--expires-in <seconds>', 'lifetime in seconds', seconds, 3600)
    .option('--claim <name=value>', 'an extra claim (repeatable)', claim)
    .action(async (opts) => {
      if (opts.tokenUse !== 'id' && opts.tokenUse !== 'access') {
        program.error("--token-use is 'id' or 'access'");
      }
      const data = resolve(opts.data ?? join(resolve(opts.dir), '.syncline'));
      const issuer = await LocalIssuer.open(data);
      const token = await issuer.mint({
        sub: opts.sub,
        issuer: opts.issuer,
        clientId: opts.clientId,
        groups: opts.groups
          ? String(opts.groups)
              .split(',')
              .map((g: string) => g.trim())
              .filter(Boolean)
          : undefined,
        tokenUse: opts.tokenUse,
        username: opts.username,
        expiresIn: opts.expiresIn,
        claims: opts.claim,
      });
      process.stdout.write(`${token}\n`);
    });
}

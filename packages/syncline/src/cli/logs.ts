// `syncline logs <function> [--follow]`: a function's log lines (START/END/REPORT and what the handler printed)
// from a running server's console API, in Lambda's text format. --follow polls for new lines until interrupted.
import { type Command, InvalidArgumentError } from 'commander';
import { type FunctionLogEntry, formatLine } from '../functions/logs.js';
import { consoleClient, DEFAULT_ENDPOINT, runClient } from './consoleClient.js';

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive integer');
  return n;
};

const POLL_MS = 500;

export function addLogsCommand(program: Command): void {
  program
    .command('logs')
    .description("print a function's log lines from a running server (its console API)")
    .argument('<function>', 'the function, as named under `functions`')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('--limit <n>', 'the newest lines to print first', positive, 100)
    .option('--request-id <id>', "only this invocation's lines")
    .option('--endpoint <url>', 'the server', DEFAULT_ENDPOINT)
    .action((name: string, opts) =>
      runClient(async () => {
        const client = consoleClient(opts.endpoint);
        const path = (extra: string) =>
          `functions/${encodeURIComponent(name)}/logs?${opts.requestId ? `requestId=${encodeURIComponent(opts.requestId)}&` : ''}${extra}`;
        let printed = print(await client.get<FunctionLogEntry[]>(path(`limit=${opts.limit}`)), new Cursor());
        while (opts.follow) {
          await new Promise((ok) => setTimeout(ok, POLL_MS));
          printed = print(await client.get<FunctionLogEntry[]>(path(`since=${printed.time}`)), printed);
        }
      }),
    );
}

/** What was printed last: lines share a millisecond, so those of the last one are remembered to skip repeats. */
class Cursor {
  constructor(
    readonly time = 0,
    readonly atTime: ReadonlySet<string> = new Set(),
  ) {}
}

function print(entries: FunctionLogEntry[], cursor: Cursor): Cursor {
  let time = cursor.time;
  let atTime = new Set(cursor.atTime);
  for (const entry of entries) {
    const key = `${entry.requestId}\u0000${entry.level}\u0000${entry.message}`;
    if (entry.time < time || (entry.time === time && atTime.has(key))) continue;
    if (entry.time > time) {
      time = entry.time;
      atTime = new Set();
    }
    atTime.add(key);
    process.stdout.write(`${formatLine(entry)}\n`);
  }
  return new Cursor(time, atTime);
}

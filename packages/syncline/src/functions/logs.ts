// What a function printed, per function, for the console: a bounded ring (old lines fall off) of Lambda's log
// lines — START/END/REPORT and the handler's console output tagged with its request id.
import type { Logger } from 'pino';
import type { ConsoleLevel } from './protocol.js';

export interface FunctionLogEntry {
  /** Epoch ms. */
  time: number;
  requestId: string | null;
  /** Console level, or 'PLATFORM' for START / END / REPORT lines. */
  level: ConsoleLevel | 'PLATFORM';
  message: string;
}

export class LogRing {
  private readonly entries: FunctionLogEntry[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  push(entry: FunctionLogEntry): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else {
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  list(): FunctionLogEntry[] {
    return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
  }
}

/** Lambda's text format for a console line: `time<TAB>requestId<TAB>LEVEL<TAB>message`. */
export function formatLine(entry: FunctionLogEntry): string {
  if (entry.level === 'PLATFORM') return entry.message;
  return `${new Date(entry.time).toISOString()}\t${entry.requestId ?? 'undefined'}\t${entry.level}\t${entry.message}`;
}

/** Writes an entry to the server log: console output at its level, platform lines at debug. */
export function writeToServerLog(log: Logger, entry: FunctionLogEntry): void {
  const fields = { requestId: entry.requestId ?? undefined };
  switch (entry.level) {
    case 'ERROR':
      log.error(fields, entry.message);
      break;
    case 'WARN':
      log.warn(fields, entry.message);
      break;
    case 'INFO':
      log.info(fields, entry.message);
      break;
    default:
      log.debug(fields, entry.message);
  }
}

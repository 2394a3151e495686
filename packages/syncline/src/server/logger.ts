// pino everywhere; pretty when a person is watching a terminal, JSON lines otherwise (and in tests: silent).
import pino, { type Logger } from 'pino';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** `pretty`: one coloured line per event, for a person at a terminal; `json`: one JSON object per line. */
export type LogFormat = 'pretty' | 'json';

export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

export function createLogger(level: LogLevel = 'info', pretty = process.stdout.isTTY): Logger {
  if (level === 'silent') return pino({ level: 'silent' });
  if (pretty) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        // One line per event (extra fields inline); an error's stack still prints below it, file and line first.
        options: {
          colorize: true,
          ignore: 'pid,hostname,access',
          translateTime: 'HH:MM:ss.l',
          singleLine: true,
          errorLikeObjectKeys: ['err', 'error'],
        },
      },
    });
  }
  return pino({ level });
}

/**
 * JSON lines on stderr, whatever the terminal: for `--json`, whose stdout carries only the endpoints line that
 * scripts parse. Synchronous writes, so the lines logged right before an exit are not lost.
 */
export function createStderrJsonLogger(level: LogLevel = 'info'): Logger {
  return pino({ level }, pino.destination({ dest: 2, sync: true }));
}

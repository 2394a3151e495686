// pino everywhere; pretty when a person is watching a terminal, JSON lines otherwise (and in tests: silent).
import pino, { type Logger } from 'pino';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

export function createLogger(level: LogLevel = 'info', pretty = process.stdout.isTTY): Logger {
  if (level === 'silent') return pino({ level: 'silent' });
  if (pretty) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' },
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

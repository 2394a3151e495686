// util.time. Formats are Java DateTimeFormatter patterns and zones Java zone ids, as AppSync documents; without a
// zone argument, times are in UTC.
import { misuse } from './errors.js';
import { formatEpoch, parseToEpoch } from './javaDateFormat.js';
import { resolveTimeZone } from './timeZones.js';

const ISO_8601 =
  /^([+-]?\d{4,9})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

export function createTime(now: () => number) {
  return {
    nowISO8601: (): string => new Date(now()).toISOString(),
    nowEpochSeconds: (): number => Math.floor(now() / 1000),
    nowEpochMilliSeconds: (): number => now(),
    nowFormatted: (format: string, timezone?: string): string =>
      formatEpoch('util.time.nowFormatted', now(), format, resolveTimeZone('util.time.nowFormatted', timezone)),
    parseFormattedToEpochMilliSeconds: (text: string, format: string, timezone?: string): number => {
      const name = 'util.time.parseFormattedToEpochMilliSeconds';
      return parseToEpoch(name, text, format, resolveTimeZone(name, timezone));
    },
    parseISO8601ToEpochMilliSeconds,
    epochMilliSecondsToSeconds: (epochMs: number): number =>
      Math.trunc(requireEpoch('util.time.epochMilliSecondsToSeconds', epochMs) / 1000),
    epochMilliSecondsToISO8601: (epochMs: number): string =>
      new Date(Math.trunc(requireEpoch('util.time.epochMilliSecondsToISO8601', epochMs))).toISOString(),
    epochMilliSecondsToFormatted: (epochMs: number, format: string, timezone?: string): string => {
      const name = 'util.time.epochMilliSecondsToFormatted';
      return formatEpoch(name, requireEpoch(name, epochMs), format, resolveTimeZone(name, timezone));
    },
  };
}

/** ISO 8601 date-time with an optional offset (none means UTC); a bare date is midnight UTC. */
export function parseISO8601ToEpochMilliSeconds(text: string): number {
  const name = 'util.time.parseISO8601ToEpochMilliSeconds';
  const match = typeof text === 'string' ? ISO_8601.exec(text) : null;
  if (!match) throw misuse(name, `not an ISO 8601 date-time: ${JSON.stringify(text)}`);
  const [
    ,
    year,
    month,
    day,
    hour = '0',
    minute = '0',
    second = '0',
    fraction = '',
    ,
    sign,
    offsetHours,
    offsetMinutes,
  ] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  const valid =
    date.getUTCMonth() === Number(month) - 1 && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60;
  if (!valid) throw misuse(name, `not a valid date-time: ${JSON.stringify(text)}`);
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = date.getTime() + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + millis;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes ?? 0)) : 0;
  return local - offset * 60_000;
}

function requireEpoch(builtin: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw misuse(builtin, `epoch milliseconds must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

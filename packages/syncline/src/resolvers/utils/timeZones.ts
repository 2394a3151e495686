// Time zones for util.time: IANA names through Intl, plus the fixed-offset ids Java's ZoneId.of also accepts
// ('UTC', 'Z', '+08:00', 'GMT-5').
import { misuse } from './errors.js';

export interface TimeZone {
  readonly id: string;
  /** Offset from UTC at the given instant, in minutes. */
  offsetAt(epochMs: number): number;
  shortName(epochMs: number): string;
  longName(epochMs: number): string;
}

const FIXED_ID = /^(?:(UTC|GMT|UT)(?=[+-]|$))?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/;

export const UTC = fixedZone('UTC', 0);

/** `null`/`undefined` mean UTC, as in AppSync; an unknown id is the resolver's mistake. */
export function resolveTimeZone(builtin: string, id: unknown): TimeZone {
  if (id === undefined || id === null) return UTC;
  if (typeof id !== 'string' || id === '')
    throw misuse(builtin, `time zone must be a zone id string, got ${JSON.stringify(id)}`);
  const zone = tryTimeZone(id);
  if (!zone) throw misuse(builtin, `unknown time zone ${JSON.stringify(id)}`);
  return zone;
}

export function tryTimeZone(id: string): TimeZone | undefined {
  if (id === 'Z') return fixedZone('Z', 0);
  const fixed = FIXED_ID.exec(id);
  if (fixed && (fixed[1] || fixed[2])) {
    const minutes = fixed[2] ? Number(fixed[3]) * 60 + Number(fixed[4] ?? 0) : 0;
    if (minutes > 18 * 60) return undefined;
    return fixedZone(id, fixed[2] === '-' ? -minutes : minutes);
  }
  const cached = regions.get(id);
  if (cached) return cached;
  let zone: TimeZone;
  try {
    zone = regionZone(id);
  } catch {
    return undefined;
  }
  regions.set(id, zone);
  return zone;
}

// Intl formatters are costly to build and immutable, so one per zone id is kept for the life of the process.
const regions = new Map<string, TimeZone>();

function regionZone(id: string): TimeZone {
  const fields = new Intl.DateTimeFormat('en-US', {
    timeZone: id,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  const short = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'short' });
  const long = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'long' });
  const canonical = fields.resolvedOptions().timeZone;
  const name = (format: Intl.DateTimeFormat, epochMs: number) =>
    format.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value ?? canonical;
  return {
    id: canonical,
    offsetAt(epochMs) {
      const parts: Record<string, string> = {};
      for (const part of fields.formatToParts(epochMs)) parts[part.type] = part.value;
      const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
      const local = new Date(0);
      local.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
      local.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second));
      const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
      return Math.round((local.getTime() - wholeSeconds) / 60_000);
    },
    shortName: (epochMs) => name(short, epochMs),
    longName: (epochMs) => name(long, epochMs),
  };
}

function fixedZone(id: string, minutes: number): TimeZone {
  const utc = minutes === 0 && (id === 'UTC' || id === 'GMT' || id === 'UT' || id === 'Z');
  return {
    id,
    offsetAt: () => minutes,
    shortName: () => id,
    longName: () => (utc ? 'Coordinated Universal Time' : id),
  };
}

/** The instant at which a zone's wall clock shows `localMs` (wall time expressed as if it were UTC). */
export function localToEpoch(zone: TimeZone, localMs: number): number {
  const first = localMs - zone.offsetAt(localMs) * 60_000;
  const second = localMs - zone.offsetAt(first) * 60_000;
  return second;
}

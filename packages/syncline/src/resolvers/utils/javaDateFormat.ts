// Java DateTimeFormatter patterns (what util.time's `format` arguments are), formatted and parsed with the
// English (Locale.US) texts AppSync uses.
import { misuse } from './errors.js';
import { localToEpoch, type TimeZone, tryTimeZone } from './timeZones.js';

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const QUARTERS = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];
const SUPPORTED_LETTERS = new Set('GuyDMLdQqEahKkHmsSAnNVzOXxZ');
const NUMERIC_LETTERS = new Set('uyDMLdQqhKkHmsSAnN');
const RESERVED = new Set(['#', '{', '}']);
const DAY_MS = 86_400_000;

export function tokenize(builtin: string, pattern: string): Token[] {
  if (typeof pattern !== 'string') throw misuse(builtin, `format must be a string, got ${JSON.stringify(pattern)}`);
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (/[A-Za-z]/.test(c)) {
      let end = i;
      while (pattern[end] === c) end += 1;
      if (!SUPPORTED_LETTERS.has(c)) throw misuse(builtin, `pattern letter '${c}' is not supported`);
      tokens.push({ kind: 'field', letter: c, count: end - i });
      i = end;
    } else if (c === "'") {
      const { text, next } = quoted(builtin, pattern, i);
      tokens.push({ kind: 'literal', text });
      i = next;
    } else if (RESERVED.has(c)) {
      throw misuse(builtin, `pattern includes reserved character '${c}'`);
    } else {
      // Optional sections always print when formatting a full date-time, so their brackets add nothing.
      if (c !== '[' && c !== ']') tokens.push({ kind: 'literal', text: c });
      i += 1;
    }
  }
  return tokens;
}

function quoted(builtin: string, pattern: string, start: number): { text: string; next: number } {
  if (pattern[start + 1] === "'") return { text: "'", next: start + 2 };
  let text = '';
  let i = start + 1;
  while (i < pattern.length) {
    if (pattern[i] === "'") {
      if (pattern[i + 1] !== "'") return { text, next: i + 1 };
      text += "'";
      i += 2;
    } else {
      text += pattern[i];
      i += 1;
    }
  }
  throw misuse(builtin, `pattern has an unclosed quote: ${JSON.stringify(pattern)}`);
}

export function formatEpoch(builtin: string, epochMs: number, pattern: string, zone: TimeZone): string {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) {
    throw misuse(builtin, `epoch milliseconds must be a finite number, got ${JSON.stringify(epochMs)}`);
  }
  const ms = Math.trunc(epochMs);
  const offset = zone.offsetAt(ms);
  const local = new Date(ms + offset * 60_000);
  return tokenize(builtin, pattern)
    .map((token) => (token.kind === 'literal' ? token.text : formatField(builtin, token, local, offset, zone, ms)))
    .join('');
}

function formatField(
  builtin: string,
  { letter, count }: { letter: string; count: number },
  local: Date,
  offset: number,
  zone: TimeZone,
  epochMs: number,
): string {
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const hour = local.getUTCHours();
  const milliOfDay = ((local.getTime() % DAY_MS) + DAY_MS) % DAY_MS;
  const text = (full: string, short = full.slice(0, 3)) => (count === 4 ? full : count === 5 ? full[0] : short);
  switch (letter) {
    case 'G':
      return text(year > 0 ? 'Anno Domini' : 'Before Christ', year > 0 ? 'AD' : 'BC');
    case 'u':
      return yearText(year, count);
    case 'y':
      return yearText(year > 0 ? year : 1 - year, count);
    case 'D':
      return pad(Math.floor((local.getTime() - startOfYear(year)) / DAY_MS) + 1, count);
    case 'M':
    case 'L':
      return count >= 3 ? text(MONTHS[month]) : pad(month + 1, count);
    case 'd':
      return pad(local.getUTCDate(), count);
    case 'Q':
    case 'q': {
      const quarter = Math.floor(month / 3) + 1;
      return count === 3 ? `Q${quarter}` : count === 4 ? QUARTERS[quarter - 1] : pad(quarter, count === 5 ? 1 : count);
    }
    case 'E':
      return text(DAYS[local.getUTCDay()]);
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'h':
      return pad(hour % 12 || 12, count);
    case 'K':
      return pad(hour % 12, count);
    case 'k':
      return pad(hour || 24, count);
    case 'H':
      return pad(hour, count);
    case 'm':
      return pad(local.getUTCMinutes(), count);
    case 's':
      return pad(local.getUTCSeconds(), count);
    case 'S':
      if (count > 9) throw misuse(builtin, 'too many pattern letters: S');
      return String(local.getUTCMilliseconds()).padStart(3, '0').padEnd(9, '0').slice(0, count);
    case 'A':
      return pad(milliOfDay, count);
    case 'n':
      return pad(local.getUTCMilliseconds() * 1_000_000, count);
    case 'N':
      return pad(milliOfDay * 1_000_000, count);
    case 'V':
      if (count !== 2) throw misuse(builtin, 'pattern letter V must be VV');
      return zone.id;
    case 'z':
      return count === 4 ? zone.longName(epochMs) : zone.shortName(epochMs);
    case 'O':
      return localizedOffset(offset, count === 4);
    case 'X':
      return offset === 0 ? 'Z' : isoOffset(offset, count);
    case 'x':
      return isoOffset(offset, count);
    default:
      // 'Z'
      if (count === 4) return localizedOffset(offset, true);
      if (count === 5) return offset === 0 ? 'Z' : isoOffset(offset, 3);
      return isoOffset(offset, 2);
  }
}

/** Not Date.UTC, which maps years 0-99 to 1900-1999. */
function startOfYear(year: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, 0, 1);
  return date.getTime();
}

function yearText(year: number, count: number): string {
  if (count === 2) return pad(Math.abs(year) % 100, 2);
  const digits = pad(Math.abs(year), count);
  return year < 0 ? `-${digits}` : digits;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** X/x/Z patterns: 1 → +HH[mm], 2 → +HHMM, 3 → +HH:MM, 4 → +HHMM[ss], 5 → +HH:MM[:ss] (seconds never occur here). */
function isoOffset(offset: number, count: number): string {
  const sign = offset < 0 ? '-' : '+';
  const hours = pad(Math.floor(Math.abs(offset) / 60), 2);
  const minutes = pad(Math.abs(offset) % 60, 2);
  if (count === 1) return minutes === '00' ? `${sign}${hours}` : `${sign}${hours}${minutes}`;
  return count === 3 || count === 5 ? `${sign}${hours}:${minutes}` : `${sign}${hours}${minutes}`;
}

/** O/OOOO and ZZZZ: GMT, GMT+8, GMT+5:30 (short) or GMT+08:00 (full). */
function localizedOffset(offset: number, full: boolean): string {
  if (offset === 0) return 'GMT';
  const sign = offset < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  if (full) return `GMT${sign}${pad(hours, 2)}:${pad(minutes, 2)}`;
  return minutes === 0 ? `GMT${sign}${hours}` : `GMT${sign}${hours}:${pad(minutes, 2)}`;
}

interface Parsed {
  year?: number;
  yearOfEra?: number;
  twoDigitYear?: number;
  bc?: boolean;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  millis?: number;
  milliOfDay?: number;
  offset?: number;
  zone?: TimeZone;
}

const OFFSET_SOURCE = '(Z|UTC|GMT(?:[+-]\\d{1,2}(?::?\\d{2})?)?|[+-]\\d{2}(?::?\\d{2})?(?::?\\d{2})?)';
const ZONE_SOURCE = '([A-Za-z][A-Za-z0-9_/+-]*)';
const MAX_DIGITS: Record<string, number> = { u: 9, y: 9, D: 3, A: 8, n: 9, N: 14 };

/** Parses `text` laid out as `pattern`; wall times without an offset in the text are read in `zone`. */
export function parseToEpoch(builtin: string, text: string, pattern: string, zone: TimeZone): number {
  if (typeof text !== 'string') throw misuse(builtin, `expected a string to parse, got ${JSON.stringify(text)}`);
  const tokens = tokenize(builtin, pattern);
  const sources = tokens.map((token, index) => {
    if (token.kind === 'literal') return escapeRegex(token.text);
    const next = tokens[index + 1];
    const adjacent = next?.kind === 'field' && NUMERIC_LETTERS.has(next.letter);
    return fieldSource(token, adjacent);
  });
  const match = new RegExp(`^${sources.join('')}$`, 'i').exec(text);
  const fail = () =>
    misuse(builtin, `text ${JSON.stringify(text)} could not be parsed with pattern ${JSON.stringify(pattern)}`);
  if (!match) throw fail();
  const parsed: Parsed = {};
  let group = 1;
  for (const token of tokens) {
    if (token.kind === 'field') {
      if (!assign(parsed, token, match[group])) throw fail();
      group += 1;
    }
  }
  const epoch = resolve(parsed, zone);
  if (epoch === undefined) throw fail();
  return epoch;
}

function fieldSource({ letter, count }: { letter: string; count: number }, adjacent: boolean): string {
  switch (letter) {
    case 'G':
      return '(AD|BC|Anno Domini|Before Christ|A|B)';
    case 'M':
    case 'L':
      if (count === 3) return `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`;
      if (count === 4) return `(${MONTHS.join('|')})`;
      if (count === 5) return '([A-Z])';
      break;
    case 'Q':
    case 'q':
      if (count === 3) return '(Q[1-4])';
      if (count === 4) return `(${QUARTERS.join('|')})`;
      break;
    case 'E':
      return `(${DAYS.join('|')}|${DAYS.map((d) => d.slice(0, 3)).join('|')}|[A-Z])`;
    case 'a':
      return '(AM|PM)';
    case 'S':
      return `(\\d{${count}})`;
    case 'V':
    case 'z':
      return ZONE_SOURCE;
    case 'O':
    case 'X':
    case 'x':
    case 'Z':
      return OFFSET_SOURCE;
  }
  if (count === 2 || (adjacent && count > 1)) return `(\\d{${count}})`;
  const max = Math.max(MAX_DIGITS[letter] ?? 2, count);
  const sign = letter === 'u' ? '[+-]?' : '';
  return `(${sign}\\d{${count},${max}})`;
}

function assign(parsed: Parsed, { letter, count }: { letter: string; count: number }, raw: string): boolean {
  const value = Number(raw);
  switch (letter) {
    case 'G':
      parsed.bc = raw.toUpperCase().startsWith('B');
      return true;
    case 'u':
      if (count === 2) parsed.twoDigitYear = value;
      else parsed.year = value;
      return true;
    case 'y':
      if (count === 2) parsed.twoDigitYear = value;
      else parsed.yearOfEra = value;
      return true;
    case 'D':
      parsed.dayOfYear = value;
      return true;
    case 'M':
    case 'L':
      parsed.month = count >= 3 ? monthFromText(raw) : value;
      return parsed.month >= 1 && parsed.month <= 12;
    case 'd':
      parsed.day = value;
      return value >= 1 && value <= 31;
    case 'a':
      parsed.pm = raw.toUpperCase() === 'PM';
      return true;
    case 'h':
    case 'K':
      parsed.hour12 = value % 12;
      return letter === 'h' ? value >= 1 && value <= 12 : value <= 11;
    case 'k':
      parsed.hour = value % 24;
      return value >= 1 && value <= 24;
    case 'H':
      parsed.hour = value;
      return value <= 23;
    case 'm':
      parsed.minute = value;
      return value <= 59;
    case 's':
      parsed.second = value;
      return value <= 59;
    case 'S':
      parsed.millis = Math.floor(Number(`0.${raw}`) * 1000 + 1e-9);
      return true;
    case 'A':
      parsed.milliOfDay = value;
      return value < DAY_MS;
    case 'n':
      parsed.millis = Math.floor(value / 1_000_000);
      return true;
    case 'N':
      parsed.milliOfDay = Math.floor(value / 1_000_000);
      return parsed.milliOfDay < DAY_MS;
    case 'V':
    case 'z': {
      const zone = tryTimeZone(raw) ?? tryTimeZone(ZONE_ABBREVIATIONS[raw.toUpperCase()] ?? '');
      if (!zone) return false;
      parsed.zone = zone;
      return true;
    }
    case 'O':
    case 'X':
    case 'x':
    case 'Z': {
      const zone = tryTimeZone(raw.toUpperCase() === 'Z' ? 'Z' : raw.toUpperCase());
      if (!zone) return false;
      parsed.offset = zone.offsetAt(0);
      return true;
    }
    default:
      // Q/q (quarter) and E (day of week) are implied by the date; AppSync's resolver ignores them too.
      return true;
  }
}

/** Zone abbreviations Java's US locale parses with pattern `z`; the rest must be written as zone ids. */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  BST: 'Europe/London',
};

function monthFromText(raw: string): number {
  const lower = raw.toLowerCase();
  return MONTHS.findIndex((m) => m.toLowerCase() === lower || m.slice(0, 3).toLowerCase() === lower) + 1;
}

function resolve(parsed: Parsed, zone: TimeZone): number | undefined {
  let year = parsed.year ?? 1970;
  if (parsed.yearOfEra !== undefined) year = parsed.bc ? 1 - parsed.yearOfEra : parsed.yearOfEra;
  // Java reads two-digit years in the century starting at 2000.
  if (parsed.twoDigitYear !== undefined) year = 2000 + parsed.twoDigitYear;
  const date = new Date(0);
  if (parsed.dayOfYear !== undefined && parsed.month === undefined) {
    date.setUTCFullYear(year, 0, parsed.dayOfYear);
    if (date.getUTCFullYear() !== year) return undefined;
  } else {
    const month = (parsed.month ?? 1) - 1;
    // Like Java's SMART resolver, a day past the month's end (Feb 30) becomes its last day.
    const lastDay = new Date(Date.UTC(2000, month + 1, 0)).getUTCDate();
    const monthLength = month === 1 && !isLeap(year) ? 28 : lastDay;
    date.setUTCFullYear(year, month, Math.min(parsed.day ?? 1, monthLength));
  }
  let hour = parsed.hour ?? 0;
  if (parsed.hour12 !== undefined) hour = parsed.hour12 + (parsed.pm ? 12 : 0);
  else if (parsed.pm !== undefined && parsed.hour !== undefined && parsed.hour < 12 && parsed.pm) hour += 12;
  let local = date.getTime();
  if (parsed.milliOfDay !== undefined) local += parsed.milliOfDay;
  else local += ((hour * 60 + (parsed.minute ?? 0)) * 60 + (parsed.second ?? 0)) * 1000 + (parsed.millis ?? 0);
  if (parsed.offset !== undefined) return local - parsed.offset * 60_000;
  return localToEpoch(parsed.zone ?? zone, local);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

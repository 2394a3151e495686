// The AppSync scalars with AppSync's validation: variables (parseValue), inline literals (parseLiteral) and resolver
// results (serialize) are all checked, because AppSync refuses bad values in each of the three places.
//
// Error wording: AppSync answers bad variables with "Variable 'x' has an invalid value. Unable to parse `v` as a
// valid phone number." and bad results with "Can't serialize value (/path) : Unable to serialize `v` as a valid
// DateTime Object." The prefix comes from the GraphQL executor; the scalar supplies the "Unable to parse/serialize"
// sentence. The nouns for AWSDate ("date"), AWSDateTime ("DateTime Object"), AWSPhone ("phone number") and AWSJSON
// ("valid JSON") are the ones seen in AppSync responses; the others ("time", "timestamp", "email address", "URL",
// "IP address") could not be confirmed and follow the same pattern.
//
// Date and time parsing follows what AppSync's documentation and its own scalar descriptions allow, which match
// java.time's ISO formats: seconds and fraction optional, a fraction of 0 to 9 digits (so `12:00:34.` is a time),
// offsets `Z`, `±hh:mm` or `±hh:mm:ss` up to ±18:00, letters `T` and `Z` in either case, years with a sign when they
// are negative or longer than four digits, and calendar-checked days.
import { isIP } from 'node:net';
import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';

function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${value}\``;
  if (value === null || value === undefined || typeof value !== 'object') return `\`${String(value)}\``;
  try {
    return `\`${JSON.stringify(value)}\``;
  } catch {
    return '`[object]`';
  }
}

function unableTo(action: 'parse' | 'serialize', value: unknown, noun: string): GraphQLError {
  return new GraphQLError(`Unable to ${action} ${describe(value)} as ${noun}.`);
}

function literalValue(node: ValueNode): unknown {
  return node.kind === Kind.STRING || node.kind === Kind.INT || node.kind === Kind.FLOAT ? node.value : print(node);
}

/** A scalar whose wire form is a string that must pass `isValid`; resolvers see the string unchanged. */
function stringScalar(name: string, noun: string, isValid: (value: string) => boolean) {
  const accept = (value: unknown, action: 'parse' | 'serialize'): string => {
    if (typeof value === 'string' && isValid(value)) return value;
    throw unableTo(action, value, noun);
  };
  return new GraphQLScalarType<string, string>({
    name,
    serialize: (value) => accept(value, 'serialize'),
    parseValue: (value) => accept(value, 'parse'),
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw unableTo('parse', literalValue(node), noun);
      return accept(node.value, 'parse');
    },
  });
}

// --- dates and times -------------------------------------------------------------------------------------------

const YEAR = '(-?\\d{4}|[+-]\\d{5,9})';
const DATE = `${YEAR}-(\\d{2})-(\\d{2})`;
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{0,9})?)?';
const OFFSET = '([Zz]|[+-](\\d{2}):(\\d{2})(?::(\\d{2}))?)';

const DATE_RE = new RegExp(`^${DATE}(?:${OFFSET})?$`);
const TIME_RE = new RegExp(`^${TIME}(?:${OFFSET})?$`);
const DATE_TIME_RE = new RegExp(`^${DATE}[Tt]${TIME}${OFFSET}$`);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function validDate(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const lengths = [31, isLeapYear(Number(year)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= lengths[m - 1];
}

function validTime(hour: string, minute: string, second: string | undefined): boolean {
  return Number(hour) <= 23 && Number(minute) <= 59 && (second === undefined || Number(second) <= 59);
}

// Groups: the whole offset, then its hours, minutes and optional seconds (absent for `Z`).
function validOffset(offset: string | undefined, hours?: string, minutes?: string, seconds?: string): boolean {
  if (offset === undefined || hours === undefined || minutes === undefined) return true;
  const h = Number(hours);
  const m = Number(minutes);
  const s = seconds === undefined ? 0 : Number(seconds);
  return m <= 59 && s <= 59 && h * 3600 + m * 60 + s <= 18 * 3600;
}

export function isAwsDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  return !!m && validDate(m[1], m[2], m[3]) && validOffset(m[4], m[5], m[6], m[7]);
}

export function isAwsTime(value: string): boolean {
  const m = TIME_RE.exec(value);
  return !!m && validTime(m[1], m[2], m[3]) && validOffset(m[4], m[5], m[6], m[7]);
}

export function isAwsDateTime(value: string): boolean {
  const m = DATE_TIME_RE.exec(value);
  return !!m && validDate(m[1], m[2], m[3]) && validTime(m[4], m[5], m[6]) && validOffset(m[7], m[8], m[9], m[10]);
}

export const AWSDate = stringScalar('AWSDate', 'a valid date', isAwsDate);

export const AWSTime = stringScalar('AWSTime', 'a valid time', isAwsTime);

export const AWSDateTime = stringScalar('AWSDateTime', 'a valid DateTime Object', isAwsDateTime);

// --- AWSTimestamp ----------------------------------------------------------------------------------------------

/**
 * Whole seconds since the epoch, negative before 1970. Variables and literals must be integers (AppSync refuses a
 * string or a fraction); results may also be integer strings, as GraphQL's own Int output coercion allows.
 */
export const AWSTimestamp = new GraphQLScalarType<number, number>({
  name: 'AWSTimestamp',
  serialize: (value) => {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
    throw unableTo('serialize', value, 'a valid timestamp');
  },
  parseValue: (value) => {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw unableTo('parse', value, 'a valid timestamp');
  },
  parseLiteral: (node) => {
    if (node.kind === Kind.INT) return Number(node.value);
    throw unableTo('parse', literalValue(node), 'a valid timestamp');
  },
});

// --- AWSEmail --------------------------------------------------------------------------------------------------

// AWS cites RFC 822; like the AppSync simulator we use the WHATWG form of it: a dot-atom local part and DNS labels
// (a single label such as `a@b` is accepted). Quoted local parts and domain literals are not.
const EMAIL_RE =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isAwsEmail(value: string): boolean {
  return EMAIL_RE.test(value);
}

export const AWSEmail = stringScalar('AWSEmail', 'a valid email address', isAwsEmail);

// --- AWSJSON ---------------------------------------------------------------------------------------------------

function parseJson(value: unknown): unknown {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      // fall through to the AppSync error
    }
  }
  throw unableTo('parse', value, 'valid JSON');
}

/**
 * On the wire a JSON document inside a string; resolvers receive the parsed value (object, array or scalar) and
 * whatever they return is stringified. Variables must be strings too: an object variable is refused, as AppSync
 * refuses an object literal.
 */
export const AWSJSON = new GraphQLScalarType<unknown, string>({
  name: 'AWSJSON',
  serialize: (value) => {
    // Resolvers commonly return JSON they already stringified (the Lambda pattern); AppSync passes such a
    // string through rather than encoding it twice. Anything else is encoded here.
    if (typeof value === 'string') return value;
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    if (text === undefined) throw unableTo('serialize', value, 'valid JSON');
    return text;
  },
  parseValue: parseJson,
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw unableTo('parse', print(node), 'valid JSON');
    return parseJson(node.value);
  },
});

// --- AWSURL ----------------------------------------------------------------------------------------------------

// RFC 1738 leaves these characters unsafe; a URL must carry them percent-encoded.
const URL_UNSAFE = /[\s<>"{}|\\^`]/;

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(.+)$/s;

export function isAwsUrl(value: string): boolean {
  const m = SCHEME.exec(value);
  if (!m || URL_UNSAFE.test(value) || hasControlCharacter(value)) return false;
  let rest = m[2];
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    const authority = end === -1 ? rest.slice(2) : rest.slice(2, 2 + end);
    if (!authority && m[1].toLowerCase() !== 'file') return false;
    rest = end === -1 ? '' : rest.slice(2 + end);
  }
  const path = rest.split(/[?#]/, 1)[0];
  if (path.includes('//')) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export const AWSURL = stringScalar('AWSURL', 'a valid URL', isAwsUrl);

// --- AWSPhone --------------------------------------------------------------------------------------------------

// Approximation of the libphonenumber check AppSync is understood to run (no such library is available here):
// - the text is digits, optionally led by `+`, in groups separated by single spaces or hyphens; parentheses and
//   dots are refused because AWS's description names only spaces and hyphens;
// - without `+`, or with `+1`, the number is North American: ten digits (optionally after a leading 1) where the
//   area code and the exchange both start with 2-9 and the area code is not an N11 service code; this is why
//   AppSync refuses `1110004444` and `678 198 2162`;
// - with another country code, only the E.164 length is checked: 7 to 15 digits including the country code.
const PHONE_SHAPE = /^\+?\d+(?:[ -]\d+)*$/;
const NANP = /^1?([2-9](?!11)\d{2})([2-9]\d{2})(\d{4})$/;

export function isAwsPhone(value: string): boolean {
  if (!PHONE_SHAPE.test(value)) return false;
  const digits = value.replace(/\D/g, '');
  if (value.startsWith('+') && !digits.startsWith('1')) {
    return digits.length >= 7 && digits.length <= 15 && digits[0] !== '0';
  }
  return NANP.test(digits);
}

export const AWSPhone = stringScalar('AWSPhone', 'a valid phone number', isAwsPhone);

// --- AWSIPAddress ----------------------------------------------------------------------------------------------

/** IPv4 or unbracketed IPv6, optionally with a CIDR prefix length (`127.0.0.1/8`); IPv6 zone ids are refused. */
export function isAwsIpAddress(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2 || value.includes('%')) return false;
  const version = isIP(parts[0]);
  if (version === 0) return false;
  if (parts.length === 1) return true;
  const prefix = parts[1];
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

export const AWSIPAddress = stringScalar('AWSIPAddress', 'a valid IP address', isAwsIpAddress);

/** Every AppSync scalar by name. */
export const awsScalars: Record<string, GraphQLScalarType> = {
  AWSDate,
  AWSTime,
  AWSDateTime,
  AWSTimestamp,
  AWSEmail,
  AWSJSON,
  AWSURL,
  AWSPhone,
  AWSIPAddress,
};

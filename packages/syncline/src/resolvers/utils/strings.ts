// The string built-ins of `util` and `util.str`. AppSync implements them with Java libraries, so the outputs
// follow Java's rules (URLEncoder, commons-lang escapeEcmaScript) rather than the nearest JavaScript function.
import { misuse } from './errors.js';
import { base64FromBytes, bytesFromBase64, utf8Bytes, utf8Text } from './utf8.js';

const ECMASCRIPT_ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

export function escapeJavaScript(value: string): string {
  let out = '';
  for (const char of requireString('util.escapeJavaScript', value)) {
    const escaped = ECMASCRIPT_ESCAPES[char];
    if (escaped) out += escaped;
    else {
      const code = char.charCodeAt(0);
      // Everything outside printable ASCII becomes \uXXXX, one per UTF-16 unit, as commons-lang does.
      out += code < 0x20 || code > 0x7e ? unicodeEscapes(char) : char;
    }
  }
  return out;
}

function unicodeEscapes(codePoint: string): string {
  let out = '';
  for (let i = 0; i < codePoint.length; i += 1) {
    out += `\\u${codePoint.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** java.net.URLEncoder with UTF-8: spaces become '+', only `A-Za-z0-9.-*_` stay as they are. */
export function urlEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(requireString('util.urlEncode', value));
  } catch {
    throw misuse('util.urlEncode', 'the string is not valid UTF-16 (lone surrogate)');
  }
  return encoded.replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

export function urlDecode(value: string): string {
  try {
    return decodeURIComponent(requireString('util.urlDecode', value).replace(/\+/g, ' '));
  } catch {
    throw misuse('util.urlDecode', `not a valid URL-encoded string: ${JSON.stringify(value)}`);
  }
}

export function base64Encode(value: string): string {
  return base64FromBytes(utf8Bytes(requireString('util.base64Encode', value)));
}

export function base64Decode(value: string): string {
  return utf8Text(bytesFromBase64(requireString('util.base64Decode', value)));
}

export function toUpper(value: string): string {
  return requireString('util.str.toUpper', value).toUpperCase();
}

export function toLower(value: string): string {
  return requireString('util.str.toLower', value).toLowerCase();
}

/** Replaces every occurrence of a literal substring (no regex), like Java's String.replace. */
export function toReplace(value: string, substring: string, replacement: string): string {
  const name = 'util.str.toReplace';
  return requireString(name, value).replaceAll(requireString(name, substring), () => requireString(name, replacement));
}

const NORMAL_FORMS = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);

export function normalize(value: string, form: string): string {
  const name = 'util.str.normalize';
  const upper = requireString(name, form).toUpperCase();
  if (!NORMAL_FORMS.has(upper))
    throw misuse(name, `unknown normalization form ${JSON.stringify(form)} (nfc, nfd, nfkc, nfkd)`);
  return requireString(name, value).normalize(upper);
}

export function requireString(builtin: string, value: unknown): string {
  if (typeof value !== 'string') throw misuse(builtin, `expected a string, got ${describe(value)}`);
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
}
